package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** search.algorithm pbt through the real CLI: a perceptron population on the multiclass sample. */
@ExtendWith(SparkTestSession.class)
class PopulationTrainingTest {
  static final String YAML = String.join("\n",
      "study: population",
      "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
      "estimator: multilayer_perceptron",
      "space:",
      "  stepSize: {low: 0.01, high: 0.5, log: true}",
      "  solver: [l-bfgs, gd]",
      "evaluation: {metric: accuracy, folds: 2}",
      "search: {algorithm: pbt, trials: 12, seed: 5, options: {population: 4, step_iterations: 5, quantile: 0.25}}",
      "");

  static final String LINEAGE = "SELECT trial_id, member, generation, parent_trial_id, proposer, status, params_json, "
      + "mean FROM trials ORDER BY trial_id";

  static List<Row> lineage(Path store) {
    return query(store, LINEAGE);
  }

  /** {@code sql} over the store's trials table, registered as {@code trials}. */
  static List<Row> query(Path store, String sql) {
    TuneCommandTest.table(store, "trials").createOrReplaceTempView("trials");
    return SparkTestSession.get().sql(sql).collectAsList();
  }

  @Test
  void tune_stoppedAfterTwoGenerations_resumesFromTheCommittedWeights_asAnUninterruptedRun() throws Exception {
    Path spec = TuneCommandTest.spec(YAML);
    Path whole = SparkTestSession.tempDir("pbt-whole");
    TuneCommandTest.Run uninterrupted = TuneCommandTest.cli("tune", spec.toString(), "--store", whole.toString());
    assertEquals(0, uninterrupted.code(), uninterrupted.err());
    List<Row> expected = lineage(whole);

    // The store of a run that ended after two generations: committed trials and the weights they left.
    Path store = SparkTestSession.tempDir("pbt-resumed");
    TuneCommandTest.Run first = TuneCommandTest.cli("tune", spec.toString(), "--store", store.toString(),
        "--set", "search.trials=8");
    assertEquals(0, first.code(), first.err());
    assertTrue(Files.exists(store.resolve("pbt/population/trial-8/fold-1.weights")));
    TuneCommandTest.Run resumed = TuneCommandTest.cli("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, resumed.code(), resumed.err());
    List<Row> after = lineage(store);

    assertEquals(12, after.size());
    for (int i = 0; i < 12; i++) {
      Row a = after.get(i);
      Row e = expected.get(i);
      assertEquals("COMPLETE", a.getString(5), a.toString());
      assertEquals(i / 4, a.getInt(2));
      for (int c = 0; c < 7; c++) {
        assertEquals(e.get(c), a.get(c), "column " + c + " of trial " + (i + 1));
      }
      assertEquals(e.getDouble(7), a.getDouble(7), 1e-9, "score of trial " + (i + 1));
    }
    assertTrue(after.subList(4, 12).stream().allMatch(r -> !r.isNullAt(3) && r.getInt(3) <= 8 && r.getInt(3)
        > 4 * (r.getInt(2) - 1)), "generations 1 and 2 start from the previous generation's weights");
    assertTrue(after.stream().anyMatch(r -> "pbt-exploit".equals(r.getString(4))));
    assertEquals(1, TuneCommandTest.table(store, "studies").count());
  }
}
