package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A holdout study whose model cannot learn (a tree of depth 0 predicts the training mean, whose
 * R² on other rows is at most 0): the trials are flagged in their rows and in the summary, and
 * the summary and {@code validate} speak of a holdout split, not of folds.
 */
@ExtendWith(SparkTestSession.class)
class SummaryWarningsTest {

  @Test
  void tune_holdoutStudyAtChanceLevel_isFlaggedInItsRowAndTheSummary() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = TuneCommandTest.spec(String.join("\n",
        "study: flat",
        "data: {path: '" + SparkTestSession.headOf("california_housing.csv", 300) + "', features: [median_income, "
            + "housing_median_age]}",
        "estimator: decision_tree_regressor",
        "space: {maxDepth: 0, minInstancesPerNode: [1, 2]}",
        "evaluation: {metric: r2, strategy: holdout, validation_fraction: 0.3}",
        "search: {algorithm: grid, trials: 2, batch_size: 2}",
        ""));
    TuneCommandTest.Run validate = TuneCommandTest.cli("validate", spec.toString(), "--store", store.toString());
    assertEquals(0, validate.code(), validate.err());
    assertTrue(validate.out().contains("metric r2 (maximize), a holdout split (30 % of training rows), grid search"),
        validate.out());

    TuneCommandTest.Run run = TuneCommandTest.cli("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().matches("(?s).*best trial \\d: r2 = \\S+ \\(holdout validation\\).*"), run.out());
    assertFalse(run.out().contains("95% CI"), run.out());
    assertTrue(run.out().contains("warning: 2 of 2 trials look diverged (trials 1, 2), the best one among them: "
        + "trial "), run.out());
    assertTrue(run.out().contains("the model diverged or learned nothing: r2 = "), run.out());
    assertTrue(run.out().contains("is at chance level (0.0000) or worse; likely cause: a model too constrained to "
        + "learn (depth, regularisation)"), run.out());

    List<Row> rows = TuneCommandTest.table(store, "trials").orderBy("trial_id").collectAsList();
    assertEquals(2, rows.size());
    for (Row r : rows) {
      assertEquals("COMPLETE", r.getAs("status"));
      String warning = r.getAs("warning");
      assertTrue(warning.startsWith("the model diverged or learned nothing: r2 = "), warning);
    }
  }
}
