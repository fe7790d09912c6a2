package io.tunelake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorrectedTTestTest {

  /*
   * Worked by hand. Five folds, trial A and the best trial B:
   *   A = 0.90 0.92 0.88 0.91 0.89      B = 0.88 0.91 0.87 0.88 0.88
   *   d = A - B = 0.02 0.01 0.01 0.03 0.01,  mean d = 0.08 / 5 = 0.016
   *   deviations 0.004 -0.006 -0.006 0.014 -0.006, squares sum to 320e-6,
   *   sample variance s² = 320e-6 / 4 = 80e-6
   *   corrected:   (1/5 + 1/4) s² = 0.45 * 80e-6 = 36e-6,  se = 0.006,  t = 0.016 / 0.006 = 8/3
   *   uncorrected: s²/5 = 16e-6,                           se = 0.004,  t = 4
   * Student's t with 4 degrees of freedom has the closed form
   *   F(t) = 1/2 + (3/8) u (1 - u²/12),  u = t / sqrt(1 + t²/4)
   * t = 8/3: u = (8/3) / (5/3) = 1.6, F = 0.5 + 0.375 * 1.6 * (1 - 2.56/12) = 0.5 + 0.6 * 0.78667 = 0.972,
   *   two-sided p = 2 (1 - 0.972) = 0.056: within noise at 5 %.
   * t = 4: u = 4 / sqrt(5) = 1.78885, F = 0.5 + 0.375 * 1.78885 * (1 - 3.2/12) = 0.99193, p = 0.01613:
   *   the naive paired test would call the same difference real.
   */
  static final List<Double> A = List.of(0.90, 0.92, 0.88, 0.91, 0.89);
  static final List<Double> B = List.of(0.88, 0.91, 0.87, 0.88, 0.88);

  @Test
  void compare_fiveFolds_matchesHandComputedCorrectedStatistic() {
    CorrectedTTest.Result r = CorrectedTTest.compare(A, B, CorrectedTTest.kFoldRatio(5));
    assertEquals(5, r.folds());
    assertEquals(0.016, r.meanDifference(), 1e-12);
    assertEquals(8.0 / 3, r.t(), 1e-9);
    assertEquals(4, r.degreesOfFreedom());
    assertEquals(0.056, r.pValue(), 1e-9);
  }

  @Test
  void compare_withoutCorrection_isThePlainPairedTest() {
    CorrectedTTest.Result r = CorrectedTTest.compare(A, B, 0);
    assertEquals(4.0, r.t(), 1e-9);
    assertEquals(0.01613, r.pValue(), 1e-5);
  }

  @Test
  void compare_isAntisymmetric() {
    CorrectedTTest.Result ab = CorrectedTTest.compare(A, B, 0.25);
    CorrectedTTest.Result ba = CorrectedTTest.compare(B, A, 0.25);
    assertEquals(-ab.t(), ba.t(), 1e-12);
    assertEquals(ab.pValue(), ba.pValue(), 1e-12);
  }

  @Test
  void compare_identicalScores_isPValueOne() {
    CorrectedTTest.Result r = CorrectedTTest.compare(A, A, 0.25);
    assertEquals(0, r.t());
    assertEquals(1, r.pValue());
  }

  @Test
  void compare_constantNonZeroDifference_isPValueZero() {
    CorrectedTTest.Result r = CorrectedTTest.compare(List.of(1.0, 0.5), List.of(0.75, 0.25), 1);
    assertEquals(0, r.pValue());
  }

  @Test
  void kFoldRatio_threeFolds_isOneHalf() {
    assertEquals(0.5, CorrectedTTest.kFoldRatio(3));
  }

  @Test
  void compare_differentFoldCounts_namesBoth() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CorrectedTTest.compare(List.of(1.0, 2.0), List.of(1.0, 2.0, 3.0), 0.5));
    assertEquals("both trials must be scored on the same folds, but got 2 and 3 fold scores", e.getMessage());
  }

  @Test
  void kFoldRatio_oneFold_saysFoldsMustBeAtLeastTwo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CorrectedTTest.kFoldRatio(1));
    assertEquals("k-fold cross-validation needs folds >= 2, but got folds=1", e.getMessage());
  }
}
