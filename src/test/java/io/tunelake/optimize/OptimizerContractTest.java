package io.tunelake.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.space.Categorical;
import io.tunelake.space.Condition;
import io.tunelake.space.Domain;
import io.tunelake.space.Fixed;
import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The ask contract, checked against every registered optimizer. */
class OptimizerContractTest {

  static Stream<String> names() {
    return Optimizers.names().stream();
  }

  static SearchSpace mixedSpace() {
    return SearchSpace.of(
        List.of(
            FloatRange.logOf("regParam", 1e-4, 1.0),
            FloatRange.of("elasticNetParam", 0.0, 1.0),
            IntRange.of("maxIter", 10, 200),
            Categorical.of("solver", "lbfgs", "owlqn", "auto"),
            FloatRange.of("tol", 1e-6, 1e-3),
            IntRange.of("depth", 2, 12),
            new Fixed("family", "binomial")),
        Map.of("tol", Condition.of("solver", "lbfgs"), "depth", Condition.of("solver", "auto")));
  }

  /** A smooth made-up metric, larger is better, with a failure region. */
  static Observation evaluate(Map<String, Object> p) {
    double reg = Math.log10((Double) p.get("regParam"));
    if (reg < -3.8) {
      return Observation.failed(p);
    }
    double v = 1 - 0.1 * Math.pow(reg + 2, 2) - 0.2 * Math.pow((Double) p.get("elasticNetParam") - 0.3, 2)
        - 0.001 * Math.abs((Integer) p.get("maxIter") - 80) + ("owlqn".equals(p.get("solver")) ? 0.05 : 0);
    return Observation.complete(p, v);
  }

  static List<Observation> run(String name, long seed, int rounds, int batch) {
    Optimizer opt = Optimizers.create(name, mixedSpace(), Direction.MAXIMIZE, seed);
    List<Observation> history = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      for (Map<String, Object> p : Proposal.params(opt.ask(batch, history, List.of()))) {
        history.add(evaluate(p));
      }
    }
    return history;
  }

  @ParameterizedTest
  @MethodSource("names")
  void ask_sameSeedAndHistory_givesSameBatch(String name) {
    List<Observation> a = run(name, 7, 4, 5);
    List<Observation> b = run(name, 7, 4, 5);
    assertEquals(a.stream().map(Observation::params).toList(), b.stream().map(Observation::params).toList());
  }

  @ParameterizedTest
  @MethodSource("names")
  void ask_suggestionsAreInsideBoundsWithTheDomainsTypes(String name) {
    SearchSpace space = mixedSpace();
    for (Observation o : run(name, 3, 5, 6)) {
      Map<String, Object> p = o.params();
      assertTrue(space.contains(p), name + " proposed " + p);
      for (Domain d : space.domains()) {
        Object v = p.get(d.name());
        if (v == null) {
          continue;
        }
        if (d instanceof IntRange r) {
          int i = assertInstanceOf(Integer.class, v);
          assertTrue(i >= r.low() && i <= r.high());
        } else if (d instanceof FloatRange f) {
          double x = assertInstanceOf(Double.class, v);
          assertTrue(x >= f.low() && x <= f.high());
        } else if (d instanceof Categorical c) {
          assertTrue(c.choices().contains(v));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void ask_conditionalChildrenAreAbsentWhenInactive(String name) {
    for (Observation o : run(name, 11, 5, 6)) {
      Map<String, Object> p = o.params();
      assertEquals("lbfgs".equals(p.get("solver")), p.containsKey("tol"), p.toString());
      assertEquals("auto".equals(p.get("solver")), p.containsKey("depth"), p.toString());
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void ask_batchMembersAndPendingAreDistinct(String name) {
    Optimizer opt = Optimizers.create(name, mixedSpace(), Direction.MAXIMIZE, 5);
    List<Observation> history = run(name, 5, 4, 6);
    List<Map<String, Object>> pending = Proposal.params(opt.ask(4, history, List.of()));
    List<Map<String, Object>> batch = Proposal.params(opt.ask(8, history, pending));
    Set<String> keys = new HashSet<>();
    history.forEach(o -> keys.add(SearchSpace.key(o.params())));
    for (Map<String, Object> p : pending) {
      assertTrue(keys.add(SearchSpace.key(p)), name + " re-proposed " + p);
    }
    for (Map<String, Object> p : batch) {
      assertTrue(keys.add(SearchSpace.key(p)), name + " repeated " + p);
    }
    assertEquals(8, batch.size());
  }

  @ParameterizedTest
  @MethodSource("names")
  void ask_neverReproposesFailedTrials(String name) {
    SearchSpace small = SearchSpace.of(IntRange.of("a", 1, 4), Categorical.of("b", "x", "y", "z"));
    Optimizer opt = Optimizers.create(name, small, Direction.MINIMIZE, 1);
    List<Observation> history = new ArrayList<>();
    Set<String> failed = new HashSet<>();
    for (int r = 0; r < 3; r++) {
      for (Map<String, Object> p : Proposal.params(opt.ask(3, history, List.of()))) {
        assertFalse(failed.contains(SearchSpace.key(p)), name + " re-proposed failed " + p);
        if ((Integer) p.get("a") <= 2) {
          history.add(Observation.failed(p));
          failed.add(SearchSpace.key(p));
        } else {
          history.add(Observation.complete(p, (Integer) p.get("a")));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void ask_everyProposalSaysWhoProposedIt_atFullBudget(String name) {
    Optimizer opt = Optimizers.create(name, mixedSpace(), Direction.MAXIMIZE, 5);
    assertEquals(name, opt.name());
    Set<String> allowed = Optimizers.isModelBased(name)
        ? Set.of(Proposal.STARTUP, "random", name.equals("bayes") ? "gp" : name)
        : Set.of(name);
    List<Observation> history = new ArrayList<>();
    for (int r = 0; r < 5; r++) {
      for (Proposal p : opt.ask(6, history, List.of())) {
        assertTrue(allowed.contains(p.proposer()), name + " said " + p.proposer());
        assertEquals(1.0, p.budget());
        history.add(evaluate(p.params()));
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"tpe, tpe", "gp, gp", "cmaes, cmaes", "bayes, gp"})
  void ask_startupSlotsComeFromTheDesign_laterOnesFromTheModel(String name, String model) {
    Optimizer opt = Optimizers.create(name,
        new OptimizerConfig(mixedSpace(), Direction.MAXIMIZE, 9, Map.of(Startup.TRIALS.name(), 5)));
    List<Observation> history = new ArrayList<>();
    List<String> round1 = proposers(opt.ask(3, history, List.of()), history);
    // The second round straddles the boundary: slots 4 and 5 finish the design, 6 and 7 are the model's.
    List<String> round2 = proposers(opt.ask(4, history, List.of()), history);
    List<String> round3 = proposers(opt.ask(3, history, List.of()), history);
    String s = Proposal.STARTUP;
    assertEquals(List.of(s, s, s), round1, name);
    assertEquals(List.of(s, s, model, model), round2, name);
    assertEquals(List.of(model, model, model), round3, name);
  }

  @ParameterizedTest
  @CsvSource({"tpe, tpe", "gp, gp", "bayes, gp"})
  void ask_pendingTrialsUseUpStartupSlots(String name, String model) {
    Optimizer opt = Optimizers.create(name,
        new OptimizerConfig(mixedSpace(), Direction.MAXIMIZE, 9, Map.of(Startup.TRIALS.name(), 5)));
    List<Observation> history = new ArrayList<>();
    proposers(opt.ask(3, history, List.of()), history);
    List<Map<String, Object>> pending = Proposal.params(opt.ask(1, history, List.of()));
    String s = Proposal.STARTUP;
    assertEquals(List.of(s, model, model), opt.ask(3, history, pending).stream().map(Proposal::proposer).toList());
  }

  /** Who proposed each member of {@code batch}; its members join {@code history} as complete trials. */
  private static List<String> proposers(List<Proposal> batch, List<Observation> history) {
    for (Proposal p : batch) {
      history.add(Observation.complete(p.params(), -Math.pow(Math.log10((Double) p.params().get("regParam")) + 2, 2)));
    }
    return batch.stream().map(Proposal::proposer).toList();
  }
}
