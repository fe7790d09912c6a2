package io.tunelake.optimize.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.optimize.Direction;
import io.tunelake.space.Categorical;
import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import io.tunelake.space.SearchSpace;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PopulationTest {
  static final SearchSpace SPACE = SearchSpace.of(FloatRange.logOf("stepSize", 0.001, 1.0),
      IntRange.of("blockSize", 10, 200), Categorical.of("solver", "l-bfgs", "gd"), IntRange.of("hiddenWidth1", 2, 64));

  static Map<String, Object> params(double stepSize, int blockSize, String solver, int width) {
    return Map.of("stepSize", stepSize, "blockSize", blockSize, "solver", solver, "hiddenWidth1", width);
  }

  /** Four members after a step: member 1 is best, then 2, then 0; member 3 failed. */
  static final List<Population.Step> LAST = List.of(
      new Population.Step(0, 11, params(0.1, 100, "gd", 8), 0.5),
      new Population.Step(1, 12, params(0.2, 50, "l-bfgs", 16), 0.9),
      new Population.Step(2, 13, params(0.05, 150, "gd", 32), 0.7),
      new Population.Step(3, 14, params(0.3, 20, "l-bfgs", 4), Double.NaN));

  static Population population(Direction direction, double quantile, double resample, long seed) {
    return new Population(SPACE, direction, new Population.Settings(4, 5, quantile, resample), seed,
        Set.of("hiddenWidth1"));
  }

  @Test
  void next_bottomHalfCopiesTopHalf_perturbsByFixedFactors_topContinues() {
    List<Population.Next> next = population(Direction.MAXIMIZE, 0.5, 0, 7).next(LAST, 1);
    assertEquals(List.of(0, 1, 2, 3), next.stream().map(Population.Next::member).toList());
    assertEquals(new Population.Next(1, LAST.get(1).params(), 12, Population.CONTINUE), next.get(1));
    assertEquals(new Population.Next(2, LAST.get(2).params(), 13, Population.CONTINUE), next.get(2));
    for (Population.Next n : List.of(next.get(0), next.get(3))) {
      assertEquals(Population.EXPLOIT, n.proposer());
      assertTrue(n.parentTrialId() == 12 || n.parentTrialId() == 13, n.toString());
      Map<String, Object> donor = LAST.get(n.parentTrialId() - 11).params();
      assertEquals(donor.get("hiddenWidth1"), n.params().get("hiddenWidth1"), "the copied weights fix the width");
      assertEquals(donor.get("solver"), n.params().get("solver"), "categories are only redrawn");
      double ratio = (Double) n.params().get("stepSize") / (Double) donor.get("stepSize");
      assertTrue(Math.abs(ratio - 0.8) < 1e-12 || Math.abs(ratio - 1.2) < 1e-12, "stepSize ratio " + ratio);
      int block = (Integer) donor.get("blockSize");
      int moved = (Integer) n.params().get("blockSize");
      assertTrue(moved == Math.round(block * 0.8) || moved == Math.round(block * 1.2), block + " -> " + moved);
    }
  }

  @Test
  void next_minimizing_ranksTheOtherWay() {
    List<Population.Next> next = population(Direction.MINIMIZE, 0.25, 0, 7).next(LAST, 1);
    // Best is member 0 (0.5): the failed member copies it; with one slot per quantile, member 1
    // (0.9, the worst complete) is not exploited because the failed member fills the bottom.
    assertEquals(Population.EXPLOIT, next.get(3).proposer());
    assertEquals(11, next.get(3).parentTrialId());
    assertEquals(List.of(Population.CONTINUE, Population.CONTINUE, Population.CONTINUE),
        next.subList(0, 3).stream().map(Population.Next::proposer).toList());
  }

  @Test
  void next_sameSeedAndStep_sameDecisions_otherSeedOrGenerationMayDiffer() {
    Population p = population(Direction.MAXIMIZE, 0.5, 0.5, 3);
    assertEquals(p.next(LAST, 2), population(Direction.MAXIMIZE, 0.5, 0.5, 3).next(LAST, 2));
    boolean differs = false;
    for (long seed = 4; seed < 20 && !differs; seed++) {
      differs = !population(Direction.MAXIMIZE, 0.5, 0.5, seed).next(LAST, 2).equals(p.next(LAST, 2));
    }
    assertTrue(differs);
  }

  @Test
  void next_resampleProbabilityOne_redrawsInsideTheRanges_keepsFrozen() {
    for (Population.Next n : population(Direction.MAXIMIZE, 0.5, 1, 5).next(LAST, 1)) {
      assertTrue(SPACE.contains(n.params()), n.toString());
      if (n.proposer().equals(Population.EXPLOIT)) {
        assertEquals(LAST.get(n.parentTrialId() - 11).params().get("hiddenWidth1"), n.params().get("hiddenWidth1"));
        assertNotEquals(LAST.get(n.parentTrialId() - 11).params().get("stepSize"), n.params().get("stepSize"));
      }
    }
  }

  @Test
  void next_everyStepFailed_restartsFromScratch() {
    List<Population.Step> failed = LAST.stream()
        .map(s -> new Population.Step(s.member(), s.trialId(), s.params(), Double.NaN)).toList();
    for (Population.Next n : population(Direction.MAXIMIZE, 0.25, 0, 1).next(failed, 3)) {
      assertEquals(Population.START, n.proposer());
      assertNull(n.parentTrialId());
    }
  }

  @Test
  void first_drawsEveryMemberFromScratch_reproducibly() {
    List<Population.Next> first = population(Direction.MAXIMIZE, 0.25, 0, 9).first();
    assertEquals(4, first.size());
    assertEquals(first, population(Direction.MAXIMIZE, 0.25, 0, 9).first());
    first.forEach(n -> {
      assertNull(n.parentTrialId());
      assertTrue(SPACE.contains(n.params()));
    });
  }
}
