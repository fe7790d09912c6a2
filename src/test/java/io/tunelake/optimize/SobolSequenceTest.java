package io.tunelake.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SobolSequenceTest {

  @Test
  void point_sameSeedAndIndex_isTheSame() {
    assertArrayEquals(new SobolSequence(3, 9).point(17), new SobolSequence(3, 9).point(17));
  }

  @Test
  void point_differentSeeds_areScrambledDifferently() {
    assertFalse(Arrays.equals(new SobolSequence(3, 1).point(0), new SobolSequence(3, 2).point(0)));
  }

  @Test
  void first64Points_fillEveryCellOfAn8x8GridOnce() {
    // A digital shift keeps the (0, m, 2)-net property of the two-dimensional Sobol sequence.
    SobolSequence sobol = new SobolSequence(2, 42);
    int[][] count = new int[8][8];
    for (int i = 0; i < 64; i++) {
      double[] p = sobol.point(i);
      assertTrue(p[0] > 0 && p[0] < 1 && p[1] > 0 && p[1] < 1, Arrays.toString(p));
      count[(int) (p[0] * 8)][(int) (p[1] * 8)]++;
    }
    for (int[] row : count) {
      for (int c : row) {
        assertEquals(1, c);
      }
    }
  }

  @Test
  void constructor_zeroDimensions_saysWhatIsAllowed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SobolSequence(0, 1));
    assertEquals("a Sobol sequence needs 1 to 1000 dimensions, but got 0", e.getMessage());
  }
}
