package io.tunelake.optimize.motpe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class MotpeOptimizerTest {

  @Test
  void goodSet_takesWholeFronts_thenWhatAddsTheMostHypervolume() {
    // Fronts: {0, 2, 3}, then {1} (0 dominates 1). Reference (1.1, 1.1). Alone, 0 covers
    // 1.1 x 0.2 = 0.22, 2 covers 0.6 x 0.6 = 0.36, 3 covers 0.1 x 1.1 = 0.11: 2 first. Beside 2,
    // 0 adds 0.5 x 0.2 = 0.10 and 3 adds 0.1 x 0.5 = 0.05: then 0.
    double[][] losses = {{0.0, 0.9}, {0.1, 1.0}, {0.5, 0.5}, {1.0, 0.0}};
    assertArrayEquals(new int[] {2, 0}, MotpeOptimizer.goodSet(losses, 2));
    assertArrayEquals(new int[] {0, 2, 3}, MotpeOptimizer.goodSet(losses, 3));
    assertArrayEquals(new int[] {0, 2, 3, 1}, MotpeOptimizer.goodSet(losses, 4));
  }

  @Test
  void contributions_weighEachGoodTrialByItsExclusiveVolume() {
    // Reference (1.1, 1.1): a = (0, 0.5) and b = (0.5, 0) cover 0.96 together, each 0.30 alone
    // that the other does not: equal weights. c = (0.9, 0.9) is dominated by a and adds nothing:
    // the floor.
    assertArrayEquals(new double[] {1, 1},
        MotpeOptimizer.contributions(new double[][] {{0, 0.5}, {0.5, 0}}, new int[] {0, 1}), 1e-12);
    assertArrayEquals(new double[] {1, 1, 1e-3},
        MotpeOptimizer.contributions(new double[][] {{0, 0.5}, {0.5, 0}, {0.9, 0.9}}, new int[] {0, 1, 2}), 1e-12);
  }
}
