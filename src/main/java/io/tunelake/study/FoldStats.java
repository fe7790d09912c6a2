package io.tunelake.study;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Summary of a trial's fold scores: mean, sample standard deviation and a 95 % confidence
 * interval for the mean from Student's t distribution with {@code k - 1} degrees of freedom.
 * With one fold there is no spread to estimate, so std and the interval are NaN.
 */
public record FoldStats(int folds, double mean, double std, double ciLow, double ciHigh) {

  /** The confidence level of {@link #ciLow} and {@link #ciHigh}. */
  public static final double CONFIDENCE = 0.95;

  /** The stats of no scores at all (a failed trial). */
  public static final FoldStats EMPTY = new FoldStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** Summarises {@code scores}; NaN scores are kept and make the mean NaN. */
  public static FoldStats of(List<Double> scores) {
    int k = scores.size();
    if (k == 0) {
      return EMPTY;
    }
    double mean = scores.stream().mapToDouble(Double::doubleValue).sum() / k;
    if (k == 1) {
      return new FoldStats(1, mean, Double.NaN, Double.NaN, Double.NaN);
    }
    double ss = 0;
    for (double s : scores) {
      ss += (s - mean) * (s - mean);
    }
    double std = Math.sqrt(ss / (k - 1));
    double t = new TDistribution(null, k - 1).inverseCumulativeProbability(0.5 + CONFIDENCE / 2);
    double half = t * std / Math.sqrt(k);
    return new FoldStats(k, mean, std, mean - half, mean + half);
  }

  /** Half the width of the interval, for "0.912 ± 0.004". */
  public double halfWidth() {
    return (ciHigh - ciLow) / 2;
  }
}
