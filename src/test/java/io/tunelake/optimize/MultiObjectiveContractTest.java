package io.tunelake.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.space.Domain;
import io.tunelake.space.FloatRange;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ask contract with two objectives and a constraint, for every kind of multi-objective search. */
class MultiObjectiveContractTest {
  private static final List<Direction> BOTH = List.of(Direction.MAXIMIZE, Direction.MINIMIZE);

  /** The contract's mixed space with two objectives: its metric (maximised) and a cost (minimised); cost > 1.6 is infeasible. */
  static Observation evaluate(Map<String, Object> p) {
    Observation o = OptimizerContractTest.evaluate(p);
    if (!o.hasValue()) {
      return o;
    }
    double cost = (Integer) p.get("maxIter") / 100.0 + ("auto".equals(p.get("solver")) ? 0.5 : 0);
    return o.withObjectives(List.of(o.value(), cost), cost <= 1.6);
  }

  static List<Observation> run(String name, long seed, int rounds, int batch) {
    Optimizer opt = Optimizers.create(name,
        new OptimizerConfig(OptimizerContractTest.mixedSpace(), Direction.MAXIMIZE, seed, Map.of()).withObjectives(BOTH));
    List<Observation> history = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      for (Map<String, Object> p : Proposal.params(opt.ask(batch, history, List.of()))) {
        history.add(evaluate(p));
      }
    }
    return history;
  }

  @ParameterizedTest
  @ValueSource(strings = {"nsga2", "motpe", "bayes", "tpe", "random"})
  void ask_isDeterministic_insideTheSpace_andRespectsConditions(String name) {
    List<Observation> a = run(name, 7, 6, 5);
    assertEquals(a.stream().map(Observation::params).toList(),
        run(name, 7, 6, 5).stream().map(Observation::params).toList());
    SearchSpace space = OptimizerContractTest.mixedSpace();
    for (Observation o : a) {
      Map<String, Object> p = o.params();
      assertTrue(space.contains(p), name + " proposed " + p);
      assertEquals("lbfgs".equals(p.get("solver")), p.containsKey("tol"), p.toString());
    }
    assertEquals(30, a.stream().map(x -> SearchSpace.key(x.params())).distinct().count(), name + " repeated a trial");
  }

  /** ZDT1 (Zitzler et al. 2000) in 4 dimensions: a convex front at g = 1. */
  static double[] zdt1(Map<String, Object> p) {
    double x0 = (Double) p.get("x0");
    double s = 0;
    for (int i = 1; i < 4; i++) {
      s += (Double) p.get("x" + i);
    }
    double g = 1 + 9 * s / 3;
    return new double[] {x0, g * (1 - Math.sqrt(x0 / g))};
  }

  static double hypervolumeAfter(String name, long seed, int evaluations) {
    List<Domain> dims = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      dims.add(FloatRange.of("x" + i, 0, 1));
    }
    List<Direction> min = List.of(Direction.MINIMIZE, Direction.MINIMIZE);
    Optimizer opt = Optimizers.create(name,
        new OptimizerConfig(SearchSpace.of(dims), Direction.MINIMIZE, seed, Map.of()).withObjectives(min));
    List<Observation> history = new ArrayList<>();
    while (history.size() < evaluations) {
      for (Map<String, Object> p : Proposal.params(opt.ask(4, history, List.of()))) {
        double[] f = zdt1(p);
        history.add(Observation.complete(p, f[0]).withObjectives(List.of(f[0], f[1]), true));
      }
    }
    List<ParetoTrial> trials = ParetoTrial.of(SearchSpace.of(dims), min, history);
    return Pareto.hypervolume(ParetoTrial.lossMatrix(trials), new double[] {1.1, 11});
  }

  @ParameterizedTest
  @ValueSource(strings = {"nsga2", "motpe", "bayes"})
  void multiObjectiveSearch_beatsRandomOnZdt1(String name) {
    double model = 0;
    double random = 0;
    for (long seed = 1; seed <= 2; seed++) {
      model += hypervolumeAfter(name, seed, 48);
      random += hypervolumeAfter("random", seed, 48);
    }
    assertTrue(model > random, name + " reached hypervolume " + model / 2 + ", random " + random / 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"nsga2", "motpe", "bayes"})
  void ask_afterTheDesign_mostlyAvoidsTheInfeasibleRegion(String name) {
    List<Observation> history = run(name, 3, 10, 5);
    long infeasible = history.subList(25, 50).stream().filter(o -> o.hasValue() && !o.feasible()).count();
    long randomInfeasible = run("random", 3, 10, 5).subList(25, 50).stream()
        .filter(o -> o.hasValue() && !o.feasible()).count();
    assertTrue(infeasible <= randomInfeasible, name + " proposed " + infeasible + " infeasible trials of 25, random "
        + randomInfeasible);
  }
}
