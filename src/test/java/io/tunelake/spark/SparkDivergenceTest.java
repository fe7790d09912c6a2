package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SparkDivergenceTest {

  @Test
  void warning_aucBelowChanceOnUnscaledFeatures_blamesTheScaling() {
    assertEquals("the model diverged or learned nothing: areaUnderROC = 0.2000 is at chance level (0.5000) or worse; "
        + "features unscaled; try featurize.scaling: standard",
        SparkDivergence.warning("areaUnderROC", List.of("fm_classifier"), false, List.of(0.21, 0.19)));
  }

  @Test
  void warning_negativeR2OnScaledFeatures_pointsAtTheModelsSettings() {
    assertEquals("the model diverged or learned nothing: r2 = -3.0000 is at chance level (0.0000) or worse; likely "
        + "cause: a model too constrained to learn (depth, regularisation) or too unstable (step size); also check "
        + "that the features carry signal",
        SparkDivergence.warning("r2", List.of("fm_regressor"), true, List.of(-3.0, -3.0)));
  }

  @Test
  void warning_infiniteScore_isFlagged() {
    assertEquals("the model diverged: rmse is Infinity; features unscaled; try featurize.scaling: standard",
        SparkDivergence.warning("rmse", List.of("generalized_linear_regression"), false,
            List.of(1.0, Double.POSITIVE_INFINITY)));
  }

  @Test
  void warning_logisticRegressionAtChance_blamesTheRegularisationNotTheScaling() {
    // MLlib's logistic regression standardizes internally; a strong regParam zeroes every coefficient.
    assertEquals("the model diverged or learned nothing: areaUnderROC = 0.5000 is at chance level (0.5000) or worse; "
        + "likely cause: a model too constrained to learn (depth, regularisation) or too unstable (step size); also "
        + "check that the features carry signal",
        SparkDivergence.warning("areaUnderROC", List.of("logistic_regression"), false, List.of(0.5, 0.5, 0.5)));
  }

  @Test
  void warning_soundScores_isNull() {
    assertNull(SparkDivergence.warning("areaUnderROC", List.of("fm_classifier"), false, List.of(0.81, 0.79)));
    assertNull(SparkDivergence.warning("rmse", List.of("fm_regressor"), false, List.of(1e6, 2e6)));
  }
}
