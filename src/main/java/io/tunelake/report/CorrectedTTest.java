package io.tunelake.report;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The corrected resampled t-test of Nadeau and Bengio (2003, "Inference for the Generalization
 * Error", Machine Learning 52), for two models scored on the same resamples of one data set.
 *
 * <p>The folds of a cross-validation share their training rows, so the fold differences are
 * correlated and the plain paired t-test finds differences that are not there. Nadeau and Bengio
 * widen the variance of the mean difference from {@code s²/k} to {@code (1/k + n_test/n_train) s²};
 * with k-fold cross-validation every fold tests on {@code n/k} rows and trains on
 * {@code n(k-1)/k}, so {@code n_test/n_train = 1/(k-1)}. The statistic has {@code k - 1}
 * degrees of freedom.
 */
final class CorrectedTTest {
  private CorrectedTTest() {}

  /** One comparison: the mean fold difference {@code a - b}, the statistic and its two-sided p-value. */
  record Result(int folds, double meanDifference, double t, int degreesOfFreedom, double pValue) {}

  /** The test-to-train size ratio of one k-fold split: {@code 1/(k-1)}. */
  static double kFoldRatio(int folds) {
    if (folds < 2) {
      throw new IllegalArgumentException("k-fold cross-validation needs folds >= 2, but got folds=" + folds);
    }
    return 1.0 / (folds - 1);
  }

  /**
   * Compares the fold scores {@code a} and {@code b} (fold {@code j} of one against fold {@code j}
   * of the other) with the given {@code n_test/n_train} ratio.
   */
  static Result compare(List<Double> a, List<Double> b, double testTrainRatio) {
    int k = a.size();
    if (k != b.size()) {
      throw new IllegalArgumentException("both trials must be scored on the same folds, but got " + k + " and "
          + b.size() + " fold scores");
    }
    if (k < 2) {
      throw new IllegalArgumentException("the test needs at least 2 fold scores per trial, but got " + k);
    }
    if (!(testTrainRatio >= 0)) {
      throw new IllegalArgumentException("n_test/n_train must be >= 0, but got " + testTrainRatio);
    }
    double[] d = new double[k];
    double mean = 0;
    for (int j = 0; j < k; j++) {
      d[j] = a.get(j) - b.get(j);
      mean += d[j];
    }
    mean /= k;
    double ss = 0;
    for (double x : d) {
      ss += (x - mean) * (x - mean);
    }
    double variance = ss / (k - 1);
    int df = k - 1;
    double se = Math.sqrt((1.0 / k + testTrainRatio) * variance);
    if (Double.isNaN(mean) || Double.isNaN(se)) {
      return new Result(k, mean, Double.NaN, df, Double.NaN);
    }
    if (se == 0) {
      // Identical differences on every fold: no noise to weigh them against.
      return mean == 0 ? new Result(k, 0, 0, df, 1) : new Result(k, mean, Math.copySign(Double.POSITIVE_INFINITY, mean), df, 0);
    }
    double t = mean / se;
    double p = 2 * new TDistribution(null, df).cumulativeProbability(-Math.abs(t));
    return new Result(k, mean, t, df, p);
  }
}
