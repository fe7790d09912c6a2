package io.tunelake.optimize.tpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.Optimizers;
import io.tunelake.optimize.Seen;
import io.tunelake.optimize.Startup;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.optimize.UnitTrial;
import io.tunelake.space.FloatRange;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TpeOptimizerTest {
  private static final SearchSpace SPACE = SearchSpace.of(FloatRange.of("x", -1, 1), FloatRange.of("y", -1, 1));

  @Test
  void create_zeroCandidates_namesTheFieldTheValueAndTheRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("tpe",
        new OptimizerConfig(SPACE, Direction.MINIMIZE, 1, Map.of("ei_candidates", 0))));
    assertEquals("field 'search.options.ei_candidates': expected an integer >= 1, but got '0'", e.getMessage());
  }

  @Test
  void create_negativeStartup_namesTheFieldTheValueAndTheRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("tpe",
        new OptimizerConfig(SPACE, Direction.MINIMIZE, 1, Map.of("startup_trials", -1))));
    assertEquals("field 'search.options.startup_trials': expected an integer >= 0, but got '-1'", e.getMessage());
  }

  @Test
  void gamma_growsWithTheHistoryUpTo25() {
    assertEquals(1, TpeOptimizer.gamma(1));
    assertEquals(5, TpeOptimizer.gamma(50));
    assertEquals(25, TpeOptimizer.gamma(1000));
  }

  @Test
  void weights_theNewest25WeighOneAndOlderOnesLess() {
    double[] w = TpeOptimizer.weights(40);
    assertEquals(1.0, w[39]);
    assertEquals(1.0, w[15]);
    assertTrue(w[0] < w[13] && w[13] < 1.0);
  }

  @Test
  void ranked_putsPrunedAfterCompleteAndFailedLast() {
    List<UnitTrial> trials = List.of(
        new UnitTrial(new double[] {0.1}, Double.NaN, TrialStatus.FAILED, 1.0, 0),
        new UnitTrial(new double[] {0.2}, -5.0, TrialStatus.PRUNED, 0.3, 1),
        new UnitTrial(new double[] {0.3}, 2.0, TrialStatus.COMPLETE, 1.0, 2),
        new UnitTrial(new double[] {0.4}, -1.0, TrialStatus.PRUNED, 0.6, 3),
        new UnitTrial(new double[] {0.5}, 1.0, TrialStatus.COMPLETE, 1.0, 4));
    assertEquals(List.of(4, 2, 3, 1, 0), TpeOptimizer.ranked(trials).stream().map(UnitTrial::order).toList());
  }

  @Test
  void ask_beforeStartupTrials_samplesQuasiRandomly() {
    Optimizer tpe = Optimizers.create("tpe", SPACE, Direction.MINIMIZE, 5);
    List<Map<String, Object>> expected = Startup.design(SPACE, 5, 0, 8, Seen.of(List.of(), List.of()));
    assertEquals(expected, Proposal.params(tpe.ask(8, List.of(), List.of())));
  }

  @Test
  void ask_afterStartup_concentratesNearTheBestRegion() {
    Optimizer tpe = Optimizers.create("tpe",
        new OptimizerConfig(SPACE, Direction.MAXIMIZE, 2, Map.of("multivariate", false)));
    List<Observation> history = new ArrayList<>();
    for (int round = 0; round < 8; round++) {
      for (Map<String, Object> p : Proposal.params(tpe.ask(8, history, List.of()))) {
        double x = (Double) p.get("x") - 0.5;
        double y = (Double) p.get("y") + 0.5;
        history.add(Observation.complete(p, -(x * x + y * y)));
      }
    }
    double late = 0;
    for (Observation o : history.subList(48, 64)) {
      late += Math.hypot((Double) o.params().get("x") - 0.5, (Double) o.params().get("y") + 0.5) / 16;
    }
    // Uniform points lie about 0.8 from (0.5, -0.5) on average.
    assertTrue(late < 0.4, "mean distance of late proposals to the optimum: " + late);
  }
}
