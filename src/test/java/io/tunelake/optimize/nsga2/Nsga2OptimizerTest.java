package io.tunelake.optimize.nsga2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.optimize.ParetoTrial;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Nsga2OptimizerTest {

  private static List<ParetoTrial> trials(double[][] losses, boolean[] feasible) {
    List<ParetoTrial> out = new ArrayList<>();
    for (int i = 0; i < losses.length; i++) {
      out.add(new ParetoTrial(new double[] {i / 10.0}, losses[i], feasible[i], i));
    }
    return out;
  }

  @Test
  void survivors_takeWholeFronts_thenTheLeastCrowded() {
    // Front 0: 0 (1,5), 1 (2,2), 2 (5,1), 3 (3,1.5); front 1: 4 (6,6). Crowding in front 0:
    // 0 and 2 infinite, 1 = 1.375, 3 = 1.0 (see ParetoTest). Three survivors: 0, 2, then 1.
    double[][] losses = {{1, 5}, {2, 2}, {5, 1}, {3, 1.5}, {6, 6}};
    List<Nsga2Optimizer.Member> three = Nsga2Optimizer.survivors(trials(losses, new boolean[] {true, true, true,
        true, true}), 3);
    assertEquals(List.of(0.0, 0.2, 0.1), three.stream().map(m -> m.x()[0]).toList());
    assertEquals(1.375, three.get(2).crowding(), 1e-12);
    List<Nsga2Optimizer.Member> five = Nsga2Optimizer.survivors(trials(losses, new boolean[] {true, true, true,
        true, true}), 5);
    assertEquals(1, five.get(4).rank());
  }

  @Test
  void survivors_rankAnInfeasibleTrialBehindEveryFeasibleOne() {
    double[][] losses = {{0, 0}, {6, 6}};
    List<Nsga2Optimizer.Member> one = Nsga2Optimizer.survivors(trials(losses, new boolean[] {false, true}), 1);
    assertEquals(0.1, one.get(0).x()[0]);
  }

  @Test
  void tournament_prefersTheLowerRank_thenTheLargerCrowding() {
    Nsga2Optimizer.Member good = new Nsga2Optimizer.Member(new double[] {0}, 0, 0.5);
    Nsga2Optimizer.Member crowded = new Nsga2Optimizer.Member(new double[] {1}, 0, 0.1);
    Nsga2Optimizer.Member worse = new Nsga2Optimizer.Member(new double[] {2}, 1, 9);
    assertEquals(good, Nsga2Optimizer.better(good, worse));
    assertEquals(good, Nsga2Optimizer.better(worse, good));
    assertEquals(good, Nsga2Optimizer.better(crowded, good));
    assertEquals(good, Nsga2Optimizer.better(good, crowded));
  }

  @Test
  void crossoverAndMutation_stayInTheUnitInterval() {
    Random rng = new Random(5);
    for (int i = 0; i < 2000; i++) {
      double x = rng.nextDouble();
      double y = rng.nextDouble();
      double c = Nsga2Optimizer.sbx(x, y, 20, rng);
      double m = Nsga2Optimizer.polynomial(x, 20, rng);
      assertTrue(c >= 0 && c <= 1, "sbx gave " + c);
      assertTrue(m >= 0 && m <= 1, "mutation gave " + m);
    }
    assertEquals(0.3, Nsga2Optimizer.sbx(0.3, 0.3, 20, rng), "identical parents give themselves");
  }
}
