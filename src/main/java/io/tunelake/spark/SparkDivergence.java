package io.tunelake.spark;

import io.tunelake.spec.JobSpec;
import io.tunelake.spec.StageSpec;
import io.tunelake.study.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Flags a completed trial whose model diverged: a mean score that is not finite, raw scores of
 * an extreme size, or a score at the metric's chance level or worse, with the likely cause.
 * Models fitted by gradient steps on unscaled features are the usual culprit (a factorization
 * machine's raw scores reach 1e8 on raw counts and dollar amounts).
 *
 * <p>Chance is what a model that learned nothing scores on the same validation rows: 0.5 for the
 * area under the ROC curve, 0 for R², the positive share for the area under the precision-recall
 * curve, the better of always predicting the majority class and guessing in the class shares for
 * the multiclass metrics, and predicting the training rows' mean label for rmse, mse and mae.
 * The data-dependent levels come from each fold's labels ({@link Baseline}), summed on the
 * executors by the jobs that count the fold's rows anyway.
 */
final class SparkDivergence {
  /**
   * Raw scores beyond this are a diverged model, not a confident one: a logistic margin of 20
   * is already a probability within 1e-9 of certainty.
   */
  static final double EXTREME_RAW = 1e6;

  /** Classes beyond this many are not summarised per fold (no chance level for them). */
  private static final int MAX_CLASSES = 100;

  /**
   * Estimators whose fit is sensitive to the scale of the features. Logistic and linear
   * regression and the linear SVC are not: they standardize internally ({@code standardization}
   * is on by default), so a chance-level score from them means too much regularisation.
   */
  private static final Set<String> SCALE_SENSITIVE = Set.of("fm_classifier", "fm_regressor",
      "multilayer_perceptron", "generalized_linear_regression", "kmeans", "bisecting_kmeans", "gaussian_mixture");

  /** Estimators whose raw scores are log-likelihoods, large on large counts without anything being wrong. */
  private static final Set<String> RAW_IS_LIKELIHOOD = Set.of("naive_bayes");

  private SparkDivergence() {}

  /**
   * The labels of one fold as a model that learned nothing would see them: the rows on each
   * side, the class shares of the validation rows (classification), and the root mean squared
   * and mean absolute error of predicting the training rows' mean label on them (regression).
   */
  record Baseline(long trainRows, long validationRows, double[] shares, double meanRmse, double meanMae) {
    static Baseline counted(long trainRows, long validationRows) {
      return new Baseline(trainRows, validationRows, new double[0], Double.NaN, Double.NaN);
    }

    /** What a model that learned nothing scores in {@code metric} here; NaN when not known. */
    double chance(String metric) {
      switch (metric) {
        case "areaUnderROC":
          return 0.5;
        case "r2":
          return 0.0;
        case "areaUnderPR":
          return shares.length == 2 ? shares[1] : Double.NaN;
        case "rmse":
          return meanRmse;
        case "mse":
          return meanRmse * meanRmse;
        case "mae":
          return meanMae;
        default:
          return shares.length == 0 ? Double.NaN : classChance(metric);
      }
    }

    private double classChance(String metric) {
      double majority = 0;
      double guess = 0; // a guess in the class shares is right with probability sum p^2
      double entropy = 0;
      for (double p : shares) {
        majority = Math.max(majority, p);
        guess += p * p;
        entropy -= p > 0 ? p * Math.log(p) : 0;
      }
      switch (metric) {
        case "accuracy":
        case "weightedRecall":
        case "weightedTruePositiveRate":
          return majority;
        case "f1":
        case "weightedFMeasure":
          return Math.max(majority * 2 * majority / (1 + majority), guess);
        case "weightedPrecision":
          return guess;
        case "hammingLoss":
          return 1 - majority;
        case "logLoss":
          return entropy;
        default:
          return Double.NaN;
      }
    }
  }

  /** Metrics of which less is better, among those with a chance level. */
  private static final Set<String> SMALLER_IS_BETTER = Set.of("rmse", "mse", "mae", "hammingLoss", "logLoss");

  /**
   * Counts a fold's rows and summarises its labels for {@link Baseline}, in one aggregate per
   * side: the jobs that counted the rows before, carrying the label sums along.
   */
  static Baseline baseline(SparkStudyPlan plan, Dataset<Row> train, Dataset<Row> validation) {
    return baseline(plan.task(), plan.columns().label(), plan.numClasses(), train, validation);
  }

  /** {@link #baseline(SparkStudyPlan, Dataset, Dataset)} for a {@code task} with {@code numClasses} in {@code label}. */
  static Baseline baseline(Task task, String label, int numClasses, Dataset<Row> train, Dataset<Row> validation) {
    boolean classes = task == Task.CLASSIFICATION && numClasses >= 2 && numClasses <= MAX_CLASSES;
    boolean numeric = task == Task.REGRESSION || task == Task.RECOMMENDATION;
    if (label == null || !(classes || numeric)) {
      return Baseline.counted(train.count(), validation.count());
    }
    Column y = functions.col(label).cast("double");
    if (classes) {
      List<Column> sums = new ArrayList<>();
      for (int c = 1; c < numClasses; c++) {
        sums.add(functions.sum(functions.when(y.equalTo(c), 1L).otherwise(0L)));
      }
      long trainRows = train.count();
      Row v = validation.agg(functions.count(functions.lit(1)), sums.toArray(Column[]::new)).head();
      long n = v.getLong(0);
      double[] shares = new double[numClasses];
      double rest = n;
      for (int c = 1; c < shares.length; c++) {
        long k = v.isNullAt(c) ? 0 : v.getLong(c);
        shares[c] = n == 0 ? 0 : (double) k / n;
        rest -= k;
      }
      shares[0] = n == 0 ? 0 : rest / n;
      return new Baseline(trainRows, n, shares, Double.NaN, Double.NaN);
    }
    Row t = train.agg(functions.count(functions.lit(1)), functions.avg(y)).head();
    double mean = t.isNullAt(1) ? Double.NaN : t.getDouble(1);
    Row v = validation.agg(functions.count(functions.lit(1)), functions.avg(functions.pow(y.minus(mean), 2)),
        functions.avg(functions.abs(y.minus(mean)))).head();
    return new Baseline(t.getLong(0), v.getLong(0), new double[0], v.isNullAt(1) ? Double.NaN : Math.sqrt(v.getDouble(1)),
        v.isNullAt(2) ? Double.NaN : v.getDouble(2));
  }

  /**
   * The warning for a completed trial's fold scores on {@code folds} (its first folds, one per
   * score) and the largest raw score of its models (NaN when not measured), or null when they
   * look sound.
   */
  static String warning(SparkStudyPlan plan, List<FoldData> folds, List<Double> foldMetrics, double rawScale) {
    JobSpec spec = plan.spec();
    List<String> estimators = new ArrayList<>();
    if (spec.estimator() != null) {
      estimators.add(spec.estimator());
    }
    spec.estimators().forEach(e -> estimators.add(StageSpec.shortName(e.stage())));
    boolean scaled = !"none".equals(spec.featurize().scaling())
        || spec.pipeline().stream().anyMatch(st -> st.stage().toLowerCase(Locale.ROOT).contains("scaler"));
    double chance = 0;
    for (int i = 0; i < foldMetrics.size() && i < folds.size(); i++) {
      chance += folds.get(i).baseline().chance(plan.metric());
    }
    chance = foldMetrics.isEmpty() ? Double.NaN : chance / Math.min(foldMetrics.size(), folds.size());
    return warning(plan.metric(), chance, estimators, scaled, foldMetrics, rawScale);
  }

  /**
   * The warning for fold scores of {@code metric}, whose chance level is {@code chance} (NaN
   * when unknown), from one of {@code estimators} (short names) on features {@code scaled} or
   * not, whose models' raw scores reached {@code rawScale} (NaN when not measured); null when
   * the scores look sound.
   */
  static String warning(String metric, double chance, List<String> estimators, boolean scaled,
      List<Double> foldMetrics, double rawScale) {
    if (foldMetrics.isEmpty()) {
      return null;
    }
    double mean = foldMetrics.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    boolean extreme = rawScale >= EXTREME_RAW && estimators.stream().noneMatch(RAW_IS_LIKELIHOOD::contains);
    boolean atChance = !Double.isNaN(chance)
        && (SMALLER_IS_BETTER.contains(metric) ? mean >= chance : mean <= chance);
    String level = metric + " = " + Format.number(mean) + " is at chance level (" + Format.number(chance)
        + ") or worse";
    String what;
    if (!Double.isFinite(mean)) {
      what = "the model diverged: " + metric + " is " + mean;
    } else if (extreme) {
      what = "the model diverged: its raw scores reach " + String.format(Locale.ROOT, "%.1e", rawScale)
          + (atChance ? " and " + level : "");
    } else if (atChance) {
      what = "the model diverged or learned nothing: " + level;
    } else {
      return null;
    }
    if (!scaled && estimators.stream().anyMatch(SCALE_SENSITIVE::contains)) {
      return what + "; features unscaled; try featurize.scaling: standard";
    }
    if (extreme) {
      return what + "; likely cause: too little regularisation or too large a step size";
    }
    return what + "; likely cause: a model too constrained to learn (depth, regularisation) or too unstable (step "
        + "size); also check that the features carry signal";
  }
}
