package io.tunelake.optimize.cmaes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.UnitTrial;
import io.tunelake.space.FloatRange;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CmaEsTest {

  private static double sphere(double[] x) {
    double s = 0;
    for (double v : x) {
      s += (v - 0.7) * (v - 0.7);
    }
    return s;
  }

  @Test
  void tell_onASphere_movesTheMeanToTheOptimumAndShrinksTheStep() {
    CmaEs es = new CmaEs(new double[] {0.2, 0.2, 0.2}, 0.3, CmaEs.defaultLambda(3));
    Random rng = new Random(8);
    for (int g = 0; g < 60; g++) {
      List<double[]> xs = new ArrayList<>();
      double[] losses = new double[es.lambda()];
      for (int k = 0; k < es.lambda(); k++) {
        xs.add(es.sample(rng));
        losses[k] = sphere(xs.get(k));
      }
      es.tell(xs, losses);
    }
    assertTrue(sphere(es.mean()) < 1e-4, "distance of the mean: " + sphere(es.mean()));
    assertTrue(es.sigma() < 0.05, "sigma: " + es.sigma());
  }

  @Test
  void replay_sameHistory_rebuildsTheSameDistribution() {
    SearchSpace space = SearchSpace.of(FloatRange.of("a", 0, 1), FloatRange.of("b", 0, 1));
    CmaEsOptimizer opt = new CmaEsOptimizer(new OptimizerConfig(space, Direction.MINIMIZE, 3, Map.of()));
    List<Observation> history = new ArrayList<>();
    for (int r = 0; r < 6; r++) {
      for (Map<String, Object> p : Proposal.params(opt.ask(5, history, List.of()))) {
        history.add(Observation.complete(p, Math.abs((Double) p.get("a") - 0.3) + Math.abs((Double) p.get("b") - 0.6)));
      }
    }
    CmaEs a = opt.replay(UnitTrial.of(space, Direction.MINIMIZE, history));
    CmaEs b = opt.replay(UnitTrial.of(space, Direction.MINIMIZE, history));
    assertArrayEquals(a.mean(), b.mean());
    assertEquals(a.sigma(), b.sigma());
    assertEquals((30 - 10) / a.lambda(), a.generation());
  }
}
