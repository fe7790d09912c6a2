package io.tunelake.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoTest {
  /** Two losses each; hand-sorted: {a, b, c} are non-dominated, d is dominated by b only, e by everyone. */
  private static final double[][] POINTS = {
    {1, 5}, // a
    {2, 2}, // b
    {5, 1}, // c
    {3, 3}, // d
    {6, 6}, // e
  };

  @Test
  void dominates_needsNoWorseEverywhereAndBetterSomewhere() {
    assertTrue(Pareto.dominates(new double[] {1, 2}, new double[] {1, 3}));
    assertFalse(Pareto.dominates(new double[] {1, 2}, new double[] {1, 2}), "equal points do not dominate");
    assertFalse(Pareto.dominates(new double[] {1, 4}, new double[] {2, 3}), "a trade-off does not dominate");
  }

  @Test
  void fronts_sortsIntoHandCheckedRanks() {
    List<int[]> fronts = Pareto.fronts(POINTS);
    assertEquals(3, fronts.size());
    assertArrayEquals(new int[] {0, 1, 2}, fronts.get(0));
    assertArrayEquals(new int[] {3}, fronts.get(1));
    assertArrayEquals(new int[] {4}, fronts.get(2));
  }

  @Test
  void fronts_withConstraints_putEveryFeasiblePointFirst() {
    // b violates a constraint: it leaves the first front, and d (which only b dominated) joins it;
    // b ranks after every feasible point, e included.
    boolean[] feasible = {true, false, true, true, true};
    List<int[]> fronts = Pareto.fronts(POINTS, feasible);
    assertArrayEquals(new int[] {0, 2, 3}, fronts.get(0));
    assertArrayEquals(new int[] {4}, fronts.get(1));
    assertArrayEquals(new int[] {1}, fronts.get(2));
  }

  @Test
  void crowding_isTheNormalisedNeighbourGap_infiniteAtTheEnds() {
    // Front {a, b, c} plus f = (3, 1.5): sorted by the first loss a(1) b(2) f(3) c(5), range 4;
    // by the second c(1) f(1.5) b(2) a(5), range 4.
    double[][] losses = {{1, 5}, {2, 2}, {5, 1}, {3, 1.5}};
    double[] d = Pareto.crowding(losses, new int[] {0, 1, 2, 3});
    assertEquals(Double.POSITIVE_INFINITY, d[0]);
    assertEquals(Double.POSITIVE_INFINITY, d[2]);
    // b: (3 - 1) / 4 + (5 - 1.5) / 4 = 1.375; f: (5 - 2) / 4 + (2 - 1) / 4 = 1.0
    assertEquals(1.375, d[1], 1e-12);
    assertEquals(1.0, d[3], 1e-12);
  }

  @Test
  void hypervolume_twoObjectives_isTheStaircaseArea() {
    // Reference (6, 6): a adds 5 x 1, b adds 4 x 3 minus nothing, c adds 1 x 4; union = 5 + 12 + 4 - overlaps.
    // Staircase by the first loss: [1,2) x (6 - 5) + [2,5) x (6 - 2) + [5,6) x (6 - 1) = 1 + 12 + 5 = 18.
    assertEquals(18, Pareto.hypervolume(new double[][] {{1, 5}, {2, 2}, {5, 1}, {3, 3}}, new double[] {6, 6}), 1e-12);
    assertEquals(0, Pareto.hypervolume(new double[][] {{7, 1}}, new double[] {6, 6}), "outside the reference");
  }

  @Test
  void hypervolume_threeObjectives_countsTheUnionOnce() {
    // Two boxes from (0,0,0) and (1,1,1)... to reference (2,2,2): 8 for the first, the second inside it.
    assertEquals(8, Pareto.hypervolume(new double[][] {{0, 0, 0}, {1, 1, 1}}, new double[] {2, 2, 2}), 1e-12);
    // (0,1,1) and (1,0,1) to (2,2,2): 2 x 1 x 1 + 1 x 2 x 1 - overlap 1 x 1 x 1 = 3.
    assertEquals(3, Pareto.hypervolume(new double[][] {{0, 1, 1}, {1, 0, 1}}, new double[] {2, 2, 2}), 1e-12);
  }
}
