package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryScoresTest {

  /** The probability that a random positive outscores a random negative, ties counting half. */
  static double pairwiseAuc(double[] scores, double[] labels) {
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double negativesBelow = 0;
    double wins = 0;
    double positives = 0;
    for (int i = 0; i < order.length; ) {
      int j = i;
      double tiedPositives = 0;
      double tiedNegatives = 0;
      while (j < order.length && scores[order[j]] == scores[order[i]]) {
        if (labels[order[j]] > 0.5) {
          tiedPositives++;
        } else {
          tiedNegatives++;
        }
        j++;
      }
      wins += tiedPositives * (negativesBelow + tiedNegatives / 2);
      positives += tiedPositives;
      negativesBelow += tiedNegatives;
      i = j;
    }
    return wins / (positives * negativesBelow);
  }

  static double[][] logistic(int n, long seed, double roundTo) {
    Random random = new Random(seed);
    double[] scores = new double[n];
    double[] labels = new double[n];
    for (int i = 0; i < n; i++) {
      double s = random.nextGaussian() * 3;
      scores[i] = roundTo > 0 ? Math.round(s / roundTo) * roundTo : s;
      labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-s)) ? 1 : 0;
    }
    return new double[][] {scores, labels};
  }

  @Test
  void areaUnderROC_withTies_isThePairwiseProbability_inAnyOrderAndSplit() {
    double[][] data = logistic(5_000, 1, 0.05);
    BinaryScores whole = new BinaryScores();
    BinaryScores[] parts = {new BinaryScores(), new BinaryScores(), new BinaryScores()};
    for (int i = 0; i < data[0].length; i++) {
      whole.add(data[0][i], data[1][i]);
      parts[i % 3].add(data[0][i], data[1][i]);
    }
    double expected = pairwiseAuc(data[0], data[1]);
    assertEquals(0, whole.dropBits());
    assertEquals(expected, whole.areaUnderROC(), 1e-12);
    assertEquals(expected, parts[2].merge(parts[0]).merge(parts[1]).areaUnderROC(), 1e-12);
    assertEquals(whole.areaUnderPR(), parts[2].areaUnderPR(), 1e-12);
  }

  @Test
  void pastMaxKeysDistinctScores_binsArePooled_andTheAreaStaysWithinATenThousandth() {
    double[][] data = logistic(300_000, 2, 0);
    BinaryScores left = new BinaryScores();
    BinaryScores right = new BinaryScores();
    for (int i = 0; i < data[0].length; i++) {
      (i < 1000 ? left : right).add(data[0][i], data[1][i]);
    }
    assertEquals(0, left.dropBits(), "a thousand scores are kept exactly");
    assertTrue(right.dropBits() > 0, "pooled past " + BinaryScores.MAX_KEYS + " distinct scores");
    BinaryScores merged = left.merge(right);
    assertTrue(merged.dropBits() >= right.dropBits());
    assertEquals(pairwiseAuc(data[0], data[1]), merged.areaUnderROC(), 1e-4);
  }

  @Test
  void keysOrderLikeTheScores_acrossSignsAndZero() {
    double[] ordered = {Double.NEGATIVE_INFINITY, -1e300, -2, -1, -1e-300, -0.0, 0.0, 1e-300, 1, 2, 1e300,
        Double.POSITIVE_INFINITY};
    for (int i = 1; i < ordered.length; i++) {
      long a = BinaryScores.key(ordered[i - 1], 0);
      long b = BinaryScores.key(ordered[i], 0);
      assertTrue(ordered[i - 1] == ordered[i] ? a == b : a < b, ordered[i - 1] + " vs " + ordered[i]);
      assertTrue(BinaryScores.key(ordered[i - 1], 40) <= BinaryScores.key(ordered[i], 40));
    }
  }

  @Test
  void aNaNScore_isRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BinaryScores().add(Double.NaN, 1));
    assertEquals("a prediction's score is NaN", e.getMessage());
  }
}
