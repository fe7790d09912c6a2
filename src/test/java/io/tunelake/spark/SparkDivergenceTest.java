package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SparkDivergenceTest {
  private static final double NaN = Double.NaN;

  @Test
  void warning_aucBelowChanceOnUnscaledFeatures_blamesTheScaling() {
    assertEquals("the model diverged or learned nothing: areaUnderROC = 0.2000 is at chance level (0.5000) or worse; "
        + "features unscaled; try featurize.scaling: standard",
        SparkDivergence.warning("areaUnderROC", 0.5, List.of("fm_classifier"), false, List.of(0.21, 0.19), NaN));
  }

  @Test
  void warning_negativeR2OnScaledFeatures_pointsAtTheModelsSettings() {
    assertEquals("the model diverged or learned nothing: r2 = -3.0000 is at chance level (0.0000) or worse; likely "
        + "cause: a model too constrained to learn (depth, regularisation) or too unstable (step size); also check "
        + "that the features carry signal",
        SparkDivergence.warning("r2", 0.0, List.of("fm_regressor"), true, List.of(-3.0, -3.0), NaN));
  }

  @Test
  void warning_infiniteScore_isFlagged() {
    assertEquals("the model diverged: rmse is Infinity; features unscaled; try featurize.scaling: standard",
        SparkDivergence.warning("rmse", 5.0, List.of("generalized_linear_regression"), false,
            List.of(1.0, Double.POSITIVE_INFINITY), NaN));
  }

  @Test
  void warning_logisticRegressionAtChance_blamesTheRegularisationNotTheScaling() {
    // MLlib's logistic regression standardizes internally; a strong regParam zeroes every coefficient.
    assertEquals("the model diverged or learned nothing: areaUnderROC = 0.5000 is at chance level (0.5000) or worse; "
        + "likely cause: a model too constrained to learn (depth, regularisation) or too unstable (step size); also "
        + "check that the features carry signal",
        SparkDivergence.warning("areaUnderROC", 0.5, List.of("logistic_regression"), false, List.of(0.5, 0.5, 0.5), NaN));
  }

  @Test
  void warning_soundScores_isNull() {
    assertNull(SparkDivergence.warning("areaUnderROC", 0.5, List.of("fm_classifier"), false, List.of(0.81, 0.79), 12.0));
    assertNull(SparkDivergence.warning("rmse", 3e6, List.of("fm_regressor"), false, List.of(1e6, 2e6), NaN));
  }

  @Test
  void warning_extremeRawScoresOnUnscaledFeatures_blamesTheScalingEvenAboveChance() {
    assertEquals("the model diverged: its raw scores reach 1.2e+08; features unscaled; try featurize.scaling: standard",
        SparkDivergence.warning("areaUnderROC", 0.5, List.of("fm_classifier"), false, List.of(0.71, 0.69), 1.2e8));
    assertEquals("the model diverged: its raw scores reach 3.0e+07 and areaUnderROC = 0.2000 is at chance level "
        + "(0.5000) or worse; features unscaled; try featurize.scaling: standard",
        SparkDivergence.warning("areaUnderROC", 0.5, List.of("fm_classifier"), false, List.of(0.2, 0.2), 3e7));
  }

  @Test
  void warning_extremeRawScoresOfNaiveBayes_areLogLikelihoods_notFlagged() {
    assertNull(SparkDivergence.warning("areaUnderROC", 0.5, List.of("naive_bayes"), false, List.of(0.8), 4e6));
  }

  @Test
  void warning_smallerIsBetterMetricAtOrAboveItsBaseline_isFlagged() {
    assertEquals("the model diverged or learned nothing: rmse = 2.5000 is at chance level (2.4000) or worse; "
        + "features unscaled; try featurize.scaling: standard",
        SparkDivergence.warning("rmse", 2.4, List.of("fm_regressor"), false, List.of(2.5, 2.5), NaN));
    assertNull(SparkDivergence.warning("mae", 2.4, List.of("fm_regressor"), false, List.of(2.3), NaN));
  }

  @Test
  void chance_classificationMetrics_fromTheClassShares() {
    SparkDivergence.Baseline b = new SparkDivergence.Baseline(80, 20, new double[] {0.7, 0.3}, NaN, NaN);
    assertEquals(0.7, b.chance("accuracy"), 1e-12);
    assertEquals(0.7, b.chance("weightedRecall"), 1e-12);
    assertEquals(0.3, b.chance("areaUnderPR"), 1e-12);
    assertEquals(0.58, b.chance("weightedPrecision"), 1e-12, "a guess in the shares: 0.7^2 + 0.3^2");
    assertEquals(Math.max(0.7 * 1.4 / 1.7, 0.58), b.chance("f1"), 1e-12, "always the majority class");
    assertEquals(0.3, b.chance("hammingLoss"), 1e-12);
    assertEquals(-(0.7 * Math.log(0.7) + 0.3 * Math.log(0.3)), b.chance("logLoss"), 1e-12);
    assertEquals(0.5, b.chance("areaUnderROC"), 1e-12);
    assertTrue(Double.isNaN(b.chance("rmse")));
  }

  @Test
  void warning_accuracyAtTheMajorityShare_isFlagged() {
    assertEquals("the model diverged or learned nothing: accuracy = 0.7000 is at chance level (0.7000) or worse; "
        + "likely cause: a model too constrained to learn (depth, regularisation) or too unstable (step size); also "
        + "check that the features carry signal",
        SparkDivergence.warning("accuracy", 0.7, List.of("random_forest_classifier"), true, List.of(0.7, 0.7), NaN));
    assertNull(SparkDivergence.warning("accuracy", 0.7, List.of("random_forest_classifier"), true, List.of(0.8), NaN));
  }
}
