package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A study with several objectives and a constraint, run by the real CLI. */
@ExtendWith(SparkTestSession.class)
class ParetoStudyTest {

  static String yaml(String study, String evaluation, String algorithm) {
    return String.join("\n",
        "study: " + study,
        "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
        "estimator: logistic_regression",
        "space:",
        "  regParam: {low: 0.001, high: 1.0, log: true}",
        "  maxIter: {low: 2, high: 20}",
        "evaluation: " + evaluation,
        "search: {algorithm: " + algorithm + ", trials: 6, batch_size: 3, seed: 7}",
        "");
  }

  @Test
  void tune_withObjectives_storesEveryObjectivePerFold_andPicksTheKnee() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = TuneCommandTest.spec(yaml("iris-pareto", "{folds: 2, objectives: [{metric: accuracy}, "
        + "{metric: predict_ms_per_1k_rows}, {metric: model_size_bytes}], constraints: [{metric: fit_seconds, "
        + "max: 600}]}", "motpe"));
    TuneCommandTest.Run run = TuneCommandTest.cli("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("pareto front: trials "), run.out());
    assertTrue(run.out().contains("picked trial "), run.out());
    assertTrue(run.out().contains(", the knee of the front of "), run.out());
    List<Row> trials = TuneCommandTest.table(store, "trials").where("study = 'iris-pareto'").collectAsList();
    assertEquals(6, trials.size());
    for (Row r : trials) {
      Map<String, scala.collection.Seq<Double>> secondary = scala.jdk.javaapi.CollectionConverters.asJava(
          r.<scala.collection.Map<String, scala.collection.Seq<Double>>>getAs("secondary_metrics"));
      assertEquals(2, secondary.get("predict_ms_per_1k_rows").size(), secondary.toString());
      assertTrue(secondary.get("model_size_bytes").apply(0) > 1000, secondary.toString());
      assertTrue(secondary.containsKey("fit_seconds"), "the constraint's metric is measured too");
    }
  }

  @Test
  void tune_withACostAsTheFirstObjective_failsBeforeSpark() throws Exception {
    Path spec = TuneCommandTest.spec(yaml("iris-bad", "{objectives: [{metric: fit_seconds}, {metric: accuracy}]}",
        "nsga2"));
    TuneCommandTest.Run run = TuneCommandTest.cli("validate", spec.toString());
    assertEquals(2, run.code(), run.out() + run.err());
    assertTrue(run.err().contains("evaluation.objectives[0].metric"), run.err());
    assertTrue(run.err().contains("'fit_seconds' is a cost"), run.err());
  }
}
