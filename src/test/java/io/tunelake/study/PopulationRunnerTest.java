package io.tunelake.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Optimizers;
import io.tunelake.optimize.pbt.Population;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Population-based training through the round loop: one generation per round, lineage in the trials. */
class PopulationRunnerTest {

  /**
   * A model whose state is a number that each step moves by {@code x}: its score (to
   * minimise) is the distance of that state from 3 plus the loss of {@code lr}. The state of a
   * trial is kept per trial id, like weights under the store, and continued from the parent's.
   */
  static final class SteppedObjective implements Objective {
    final Map<Integer, Double> state = new HashMap<>();

    @Override
    public List<Evaluation> evaluate(List<Suggestion> batch, List<Trial> history) {
      List<Evaluation> out = new ArrayList<>();
      for (Suggestion s : batch) {
        Integer parent = s.member().parentTrialId();
        double from = parent == null ? 0 : state.get(parent);
        double now = from + (Double) s.params().get("x");
        state.put(s.trialId(), now);
        double v = Math.abs(now - 3) + Math.abs(Math.log10((Double) s.params().get("lr")) + 2);
        out.add(Evaluation.complete(s.trialId(), List.of(v), StudyRunnerTest.T0, StudyRunnerTest.T0));
      }
      return out;
    }
  }

  static StudyRunner runner(TrialStore store, Objective objective, int trials) {
    Population population = new Population(StudyRunnerTest.SPACE, Direction.MINIMIZE,
        new Population.Settings(4, 5, 0.25, 0.25), 42, Set.of());
    return StudyRunner.builder()
        .study("pbt")
        .metric("loss", Direction.MINIMIZE)
        .optimizer(Optimizers.create("pbt", StudyRunnerTest.SPACE, Direction.MINIMIZE, 42))
        .population(population)
        .batchSize(4)
        .budget(Budget.trials(trials))
        .objective(objective)
        .store(store)
        .clock(Clock.fixed(StudyRunnerTest.T0, ZoneOffset.UTC))
        .build();
  }

  @Test
  void run_oneGenerationPerRound_eachTrialNamesMemberGenerationAndParent() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    List<Trial> trials = runner(store, new SteppedObjective(), 12).run().trials();
    assertEquals(12, trials.size());
    assertEquals(3, store.commits);
    for (Trial t : trials) {
      Member m = t.member();
      assertEquals((t.trialId() - 1) / 4, m.generation());
      assertEquals(t.round(), m.generation() + 1);
      if (m.generation() == 0) {
        assertNull(m.parentTrialId());
        assertEquals(Population.START, t.proposer());
        continue;
      }
      Trial parent = trials.get(m.parentTrialId() - 1);
      assertEquals(m.generation() - 1, parent.member().generation(), "parents come from the previous generation");
      if (t.proposer().equals(Population.CONTINUE)) {
        assertEquals(m.id(), parent.member().id());
        assertEquals(parent.params(), t.params());
      } else {
        assertEquals(Population.EXPLOIT, t.proposer());
        double best = trials.stream().filter(o -> o.member().generation() == m.generation() - 1)
            .mapToDouble(Trial::value).min().orElseThrow();
        assertEquals(best, parent.value(), "with one member per quantile the worst copies the best");
      }
    }
    assertEquals(2, trials.stream().filter(t -> t.proposer().equals(Population.EXPLOIT)).count());
  }

  @Test
  void run_resumedAfterTwoGenerations_continuesAsAnUninterruptedRun() {
    InMemoryTrialStore whole = new InMemoryTrialStore();
    List<Trial> uninterrupted = runner(whole, new SteppedObjective(), 16).run().trials();

    InMemoryTrialStore store = new InMemoryTrialStore();
    SteppedObjective objective = new SteppedObjective();
    runner(store, objective, 8).run();
    // A new process: only the committed generations and the states (weights) they left remain.
    StudyOutcome resumed = runner(store, objective, 16).run();
    assertEquals(8, resumed.added());
    assertEquals(uninterrupted, resumed.trials());
    assertTrue(resumed.trials().stream().allMatch(t -> t.member() != null));
  }
}
