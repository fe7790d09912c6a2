package io.tunelake.spark;

import io.tunelake.spec.JobSpec;
import io.tunelake.spec.StageSpec;
import io.tunelake.study.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Flags a completed trial whose model diverged: a mean score that is not finite, or one at the
 * metric's chance level or worse (an area under the ROC curve of at most 0.5, an R² of at most
 * 0), with the likely cause. Models fitted by gradient steps on unscaled features are the usual
 * culprit (a factorization machine's raw scores reach 1e8 on raw counts and dollar amounts).
 */
final class SparkDivergence {
  /** What a model that learned nothing scores, by metric. */
  private static final Map<String, Double> CHANCE = Map.of("areaUnderROC", 0.5, "r2", 0.0);

  /**
   * Estimators whose fit is sensitive to the scale of the features. Logistic and linear
   * regression and the linear SVC are not: they standardize internally ({@code standardization}
   * is on by default), so a chance-level score from them means too much regularisation.
   */
  private static final Set<String> SCALE_SENSITIVE = Set.of("fm_classifier", "fm_regressor",
      "multilayer_perceptron", "generalized_linear_regression", "kmeans", "bisecting_kmeans", "gaussian_mixture");

  private SparkDivergence() {}

  /** The warning for a completed trial's fold scores, or null when they look sound. */
  static String warning(SparkStudyPlan plan, List<Double> foldMetrics) {
    JobSpec spec = plan.spec();
    List<String> estimators = new ArrayList<>();
    if (spec.estimator() != null) {
      estimators.add(spec.estimator());
    }
    spec.estimators().forEach(e -> estimators.add(StageSpec.shortName(e.stage())));
    boolean scaled = !"none".equals(spec.featurize().scaling())
        || spec.pipeline().stream().anyMatch(st -> st.stage().toLowerCase(Locale.ROOT).contains("scaler"));
    return warning(plan.metric(), estimators, scaled, foldMetrics);
  }

  /**
   * The warning for fold scores of {@code metric} from one of {@code estimators} (short names),
   * on features {@code scaled} or not; null when the scores look sound.
   */
  static String warning(String metric, List<String> estimators, boolean scaled, List<Double> foldMetrics) {
    if (foldMetrics.isEmpty()) {
      return null;
    }
    double mean = foldMetrics.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    String what;
    if (!Double.isFinite(mean)) {
      what = "the model diverged: " + metric + " is " + mean;
    } else if (CHANCE.containsKey(metric) && mean <= CHANCE.get(metric)) {
      what = "the model diverged or learned nothing: " + metric + " = " + Format.number(mean)
          + " is at chance level (" + Format.number(CHANCE.get(metric)) + ") or worse";
    } else {
      return null;
    }
    if (!scaled && estimators.stream().anyMatch(SCALE_SENSITIVE::contains)) {
      return what + "; features unscaled; try featurize.scaling: standard";
    }
    return what + "; likely cause: a model too constrained to learn (depth, regularisation) or too unstable (step "
        + "size); also check that the features carry signal";
  }
}
