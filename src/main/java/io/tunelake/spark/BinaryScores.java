package io.tunelake.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Positive and negative counts per distinct score of a binary classifier's predictions: a
 * mergeable summary from which the areas under the ROC and precision-recall curves follow, built
 * in one pass over the predictions (one Spark job, no shuffle) where MLlib's
 * {@code BinaryClassificationMetrics} sorts them (a shuffle and several jobs per evaluation).
 *
 * <p>The areas are exact, ties included, while a summary holds at most {@link #MAX_KEYS}
 * distinct scores. Past that, scores are pooled into bins of equal relative width (low
 * mantissa bits dropped, four at a time, until the counts fit), so memory stays bounded on any
 * number of rows; scores pooled in one bin count as tied. MLlib's evaluator down-samples its
 * curves to 1,000 points by default, so both are approximations there; this one orders scores
 * to within a factor of {@code 1 + 2^(dropBits - 52)}.
 *
 * <p>A label above 0.5 is positive, as in MLlib; the curves are MLlib's: ROC from (0, 0) through
 * one point per score, highest first, to (1, 1); precision-recall from (0, first precision), with
 * precision 1 where nothing is predicted positive. Both areas by the trapezoidal rule.
 */
final class BinaryScores implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int MAX_KEYS = 1 << 16;
  private static final int WIDEN_BITS = 4;

  private int dropBits;
  /** The largest |score| counted, which tells a model whose raw margins diverged. */
  private double maxAbsScore;
  // key -> {negatives, positives}
  private HashMap<Long, double[]> counts = new HashMap<>();

  /** Counts one prediction. */
  BinaryScores add(double score, double label) {
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("a prediction's score is NaN");
    }
    maxAbsScore = Math.max(maxAbsScore, Math.abs(score));
    counts.computeIfAbsent(key(score, dropBits), k -> new double[2])[label > 0.5 ? 1 : 0] += 1;
    if (counts.size() > MAX_KEYS) {
      coarsen(dropBits + WIDEN_BITS);
    }
    return this;
  }

  /** Adds {@code other}'s counts to this summary, at the coarser of the two resolutions. */
  BinaryScores merge(BinaryScores other) {
    maxAbsScore = Math.max(maxAbsScore, other.maxAbsScore);
    coarsen(Math.max(dropBits, other.dropBits));
    for (Map.Entry<Long, double[]> e : other.counts.entrySet()) {
      long k = e.getKey() >> (dropBits - other.dropBits);
      double[] c = counts.computeIfAbsent(k, x -> new double[2]);
      c[0] += e.getValue()[0];
      c[1] += e.getValue()[1];
    }
    if (counts.size() > MAX_KEYS) {
      coarsen(dropBits + WIDEN_BITS);
    }
    return this;
  }

  /** The largest absolute score counted; 0 when none was. */
  double maxAbsScore() {
    return maxAbsScore;
  }

  /** How many low bits of each score's ordered representation were pooled; 0 while exact. */
  int dropBits() {
    return dropBits;
  }

  double areaUnderROC() {
    double[][] cumulative = cumulative();
    double negatives = total(cumulative, 0);
    double positives = total(cumulative, 1);
    double area = 0;
    double x = 0;
    double y = 0;
    for (double[] c : cumulative) {
      double fpr = negatives == 0 ? 0 : c[0] / negatives;
      double tpr = positives == 0 ? 0 : c[1] / positives;
      area += (fpr - x) * (tpr + y) / 2;
      x = fpr;
      y = tpr;
    }
    return area + (1 - x) * (1 + y) / 2;
  }

  double areaUnderPR() {
    double[][] cumulative = cumulative();
    double positives = total(cumulative, 1);
    double area = 0;
    double x = 0;
    double y = Double.NaN;
    for (double[] c : cumulative) {
      double recall = positives == 0 ? 0 : c[1] / positives;
      double precision = c[0] + c[1] == 0 ? 1 : c[1] / (c[0] + c[1]);
      if (Double.isNaN(y)) {
        y = precision;
      }
      area += (recall - x) * (precision + y) / 2;
      x = recall;
      y = precision;
    }
    return area;
  }

  /** Running {negatives, positives} at each score threshold, highest score first. */
  private double[][] cumulative() {
    Long[] keys = counts.keySet().toArray(Long[]::new);
    Arrays.sort(keys, (a, b) -> Long.compare(b, a));
    double[][] out = new double[keys.length][];
    double negatives = 0;
    double positives = 0;
    for (int i = 0; i < keys.length; i++) {
      double[] c = counts.get(keys[i]);
      negatives += c[0];
      positives += c[1];
      out[i] = new double[] {negatives, positives};
    }
    return out;
  }

  private static double total(double[][] cumulative, int column) {
    return cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1][column];
  }

  /** Pools to at least {@code bits} dropped bits, then further until the counts fit. */
  private void coarsen(int bits) {
    int target = bits;
    while (target > dropBits) {
      int shift = target - dropBits;
      HashMap<Long, double[]> coarser = new HashMap<>();
      for (Map.Entry<Long, double[]> e : counts.entrySet()) {
        double[] c = coarser.computeIfAbsent(e.getKey() >> shift, k -> new double[2]);
        c[0] += e.getValue()[0];
        c[1] += e.getValue()[1];
      }
      counts = coarser;
      dropBits = target;
      // 48 dropped bits leave 16: at most MAX_KEYS keys, so this ends there at the latest.
      target = counts.size() > MAX_KEYS ? dropBits + WIDEN_BITS : dropBits;
    }
  }

  /**
   * A long whose order is the order of the doubles, with the low {@code dropBits} bits shifted
   * out (an arithmetic shift floors, so the order is kept, ties pooled).
   */
  static long key(double score, int dropBits) {
    long bits = Double.doubleToLongBits(score == 0 ? 0.0 : score);
    return (bits >= 0 ? bits : bits ^ Long.MAX_VALUE) >> dropBits;
  }
}
