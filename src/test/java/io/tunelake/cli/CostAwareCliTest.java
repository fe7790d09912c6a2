package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cost-aware study through the CLI keeps what its fit-time model learns from in the trial
 * rows: each trial's parameters and the fit seconds of every fold it reached, although the spec
 * asks for no secondary metric.
 */
@ExtendWith(SparkTestSession.class)
class CostAwareCliTest {

  @Test
  void tune_costAware_recordsEveryFoldsFitSecondsInTheTrialRows() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = TuneCommandTest.spec(String.join("\n",
        "study: cost-aware",
        "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
        "estimator: logistic_regression",
        "space:",
        "  regParam: {low: 0.001, high: 1.0, log: true}",
        "  maxIter: [2, 40]",
        "evaluation: {metric: accuracy, folds: 2}",
        "search: {algorithm: gp, trials: 8, batch_size: 2, seed: 3, options: {cost_aware: true}}",
        ""));
    TuneCommandTest.Run run = TuneCommandTest.cli("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, run.code(), run.err());

    List<Row> rows = TuneCommandTest.table(store, "trials")
        .selectExpr("trial_id", "status", "proposer", "secondary_metrics['fit_seconds'] AS fit_seconds").orderBy("trial_id")
        .collectAsList();
    assertEquals(8, rows.size());
    boolean modelProposed = false;
    for (Row r : rows) {
      assertEquals("COMPLETE", r.getAs("status"), r.toString());
      List<Double> seconds = r.getList(r.fieldIndex("fit_seconds"));
      assertEquals(2, seconds.size(), "one figure per fold: " + r);
      for (double s : seconds) {
        assertTrue(s > 0 && Double.isFinite(s), "fit seconds " + s + " in " + r);
      }
      modelProposed |= "gp".equals(r.getAs("proposer"));
    }
    assertTrue(modelProposed, "the cost-aware GP proposed none of the 8 trials");
  }
}
