package io.tunelake.optimize.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Optimizers;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.space.FloatRange;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GaussianProcessOptimizerTest {
  private static final SearchSpace SPACE = SearchSpace.of(FloatRange.of("x", 0, 1), FloatRange.of("y", 0, 1));

  private static double f(Map<String, Object> p) {
    double x = (Double) p.get("x") - 0.7;
    double y = (Double) p.get("y") - 0.2;
    return x * x + y * y;
  }

  @Test
  void ask_maximisedMetric_findsTheOptimumWithinThirtyTrials() {
    Optimizer gp = Optimizers.create("gp", SPACE, Direction.MAXIMIZE, 3);
    List<Observation> history = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      for (Map<String, Object> p : Proposal.params(gp.ask(5, history, List.of()))) {
        history.add(Observation.complete(p, -f(p)));
      }
    }
    double best = history.stream().mapToDouble(o -> -o.value()).min().orElseThrow();
    assertTrue(best < 1e-3, "best squared distance to the optimum: " + best);
  }

  @Test
  void ask_batchOfEight_spreadsOutInsteadOfCopyingOnePoint() {
    Optimizer gp = Optimizers.create("gp", SPACE, Direction.MINIMIZE, 4);
    List<Observation> history = new ArrayList<>();
    for (Map<String, Object> p : Proposal.params(gp.ask(12, history, List.of()))) {
      history.add(Observation.complete(p, f(p)));
    }
    List<Map<String, Object>> batch = Proposal.params(gp.ask(8, history, List.of()));
    double minDistance = Double.POSITIVE_INFINITY;
    for (int i = 0; i < batch.size(); i++) {
      for (int j = 0; j < i; j++) {
        minDistance = Math.min(minDistance, Math.hypot((Double) batch.get(i).get("x") - (Double) batch.get(j).get("x"),
            (Double) batch.get(i).get("y") - (Double) batch.get(j).get("y")));
      }
    }
    assertEquals(8, batch.size());
    assertTrue(minDistance > 1e-3, "closest pair of the batch: " + minDistance);
  }

  @Test
  void ask_withPrunedAndFailedTrials_stillProposesNewPoints() {
    Optimizer gp = Optimizers.create("gp", SPACE, Direction.MINIMIZE, 5);
    List<Observation> history = new ArrayList<>();
    int i = 0;
    for (Map<String, Object> p : Proposal.params(gp.ask(12, history, List.of()))) {
      if (i % 4 == 1) {
        history.add(Observation.failed(p));
      } else if (i % 4 == 2) {
        history.add(new Observation(p, TrialStatus.PRUNED, f(p) / 10, 0.3));
      } else {
        history.add(Observation.complete(p, f(p)));
      }
      i++;
    }
    assertEquals(4, gp.ask(4, history, List.of()).size());
  }

  /** Seconds spent by four rounds on two equally good optima, the second's trials a hundred times slower. */
  private static double secondsSpent(boolean costAware) {
    Optimizer gp = Optimizers.create("gp",
        new OptimizerConfig(SPACE, Direction.MINIMIZE, 11, Map.of("cost_aware", costAware)));
    List<Observation> history = new ArrayList<>();
    double spent = 0;
    for (int round = 0; round < 4; round++) {
      for (Proposal p : gp.ask(8, history, List.of())) {
        double x = (Double) p.params().get("x");
        double y = (Double) p.params().get("y");
        double loss = Math.min(Math.pow(x - 0.2, 2), Math.pow(x - 0.8, 2)) + Math.pow(y - 0.5, 2);
        double seconds = x < 0.5 ? 1 : 100;
        history.add(Observation.complete(p.params(), loss).withSeconds(seconds));
        spent += seconds;
      }
    }
    return spent;
  }

  @Test
  void costAware_spendsLessTimeWhereACheaperRegionIsAsGood() {
    double plain = secondsSpent(false);
    double aware = secondsSpent(true);
    assertTrue(aware < 0.9 * plain, "seconds spent: cost-aware " + aware + ", plain " + plain);
  }
}
