package io.tunelake.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Optimizers;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.optimize.schedule.Scheduler;
import io.tunelake.space.FloatRange;
import io.tunelake.space.SearchSpace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StudyRunnerTest {
  static final SearchSpace SPACE = SearchSpace.of(FloatRange.of("x", -2, 2), FloatRange.logOf("lr", 1e-4, 1));
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Scores x² + log10(lr)², failing the trials it is told to. */
  static final class StubObjective implements Objective {
    final Set<Integer> failing;
    final List<Integer> evaluated = new ArrayList<>();

    StubObjective(Set<Integer> failing) {
      this.failing = failing;
    }

    @Override
    public List<Evaluation> evaluate(List<Suggestion> batch, List<Trial> history) {
      List<Evaluation> out = new ArrayList<>();
      for (Suggestion s : batch) {
        evaluated.add(s.trialId());
        if (failing.contains(s.trialId())) {
          out.add(Evaluation.failed(s.trialId(), List.of(), "fitting fold 1/3 failed: boom", T0, T0.plusSeconds(1)));
          continue;
        }
        double x = (Double) s.params().get("x");
        double lr = Math.log10((Double) s.params().get("lr"));
        double v = x * x + lr * lr;
        out.add(Evaluation.complete(s.trialId(), List.of(v, v + 0.1, v - 0.1), T0, T0.plusSeconds(2)));
      }
      return out;
    }
  }

  static StudyRunner runner(String study, TrialStore store, Objective objective, int trials, int batch) {
    return StudyRunner.builder()
        .study(study)
        .metric("loss", Direction.MINIMIZE)
        .optimizer(Optimizers.create("random", SPACE, Direction.MINIMIZE, 42))
        .batchSize(batch)
        .budget(Budget.trials(trials))
        .objective(objective)
        .store(store)
        .clock(Clock.fixed(T0, ZoneOffset.UTC))
        .build();
  }

  @Test
  void run_spendsBudgetInRoundsOfBatchSize() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    StudyOutcome outcome = runner("s", store, new StubObjective(Set.of()), 10, 4).run();
    assertEquals(10, outcome.trials().size());
    assertEquals(10, outcome.added());
    assertEquals(3, store.commits, "one commit per round: 4 + 4 + 2");
    assertEquals(List.of(1, 1, 1, 1, 2, 2, 2, 2, 3, 3), outcome.trials().stream().map(Trial::round).toList());
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), outcome.trials().stream().map(Trial::trialId).toList());
    Trial first = outcome.trials().get(0);
    assertEquals(3, first.foldMetrics().size());
    assertEquals(first.foldMetrics().get(0), first.stats().mean(), 1e-12);
    assertTrue(first.stats().ciLow() < first.stats().mean() && first.stats().mean() < first.stats().ciHigh());
  }

  @Test
  void run_recordsWhoProposedEachTrial() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    StudyOutcome outcome = StudyRunner.builder()
        .study("p")
        .metric("loss", Direction.MINIMIZE)
        .optimizer(Optimizers.create("tpe",
            new OptimizerConfig(SPACE, Direction.MINIMIZE, 42, Map.of("startup_trials", 3))))
        .batchSize(2)
        .budget(Budget.trials(6))
        .objective(new StubObjective(Set.of()))
        .store(store)
        .clock(Clock.fixed(T0, ZoneOffset.UTC))
        .build()
        .run();
    String s = Proposal.STARTUP;
    assertEquals(List.of(s, s, s, "tpe", "tpe", "tpe"), outcome.trials().stream().map(Trial::proposer).toList());
    assertEquals(List.of(s, s, s, "tpe", "tpe", "tpe"), store.history("p").stream().map(Trial::proposer).toList());
  }

  @Test
  void run_failingTrial_isRecordedAndStudyGoesOn() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    StudyOutcome outcome = runner("s", store, new StubObjective(Set.of(3)), 8, 4).run();
    assertEquals(8, outcome.trials().size());
    Trial failed = outcome.trials().get(2);
    assertEquals(TrialStatus.FAILED, failed.status());
    assertEquals("fitting fold 1/3 failed: boom", failed.error());
    assertTrue(Double.isNaN(failed.value()));
    assertEquals(7, outcome.countsByStatus().get(TrialStatus.COMPLETE));
    assertTrue(outcome.best().isPresent());
    assertTrue(outcome.best().get().trialId() != 3);
  }

  @Test
  void run_finishedStudy_addsNoTrial() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    runner("s", store, new StubObjective(Set.of()), 6, 3).run();
    StubObjective again = new StubObjective(Set.of());
    StudyOutcome second = runner("s", store, again, 6, 3).run();
    assertEquals(0, second.added());
    assertEquals(6, second.trials().size());
    assertTrue(again.evaluated.isEmpty());
  }

  @Test
  void run_afterCrashMidStudy_proposesTheSameRemainingTrials() {
    InMemoryTrialStore uninterrupted = new InMemoryTrialStore();
    List<Trial> expected = runner("s", uninterrupted, new StubObjective(Set.of()), 9, 3).run().trials();

    InMemoryTrialStore crashed = new InMemoryTrialStore();
    Objective crashesInRoundTwo = new Objective() {
      int rounds;

      @Override
      public List<Evaluation> evaluate(List<Suggestion> batch, List<Trial> history) {
        if (++rounds == 2) {
          throw new IllegalStateException("driver killed");
        }
        return new StubObjective(Set.of()).evaluate(batch, history);
      }
    };
    assertThrows(IllegalStateException.class, () -> runner("s", crashed, crashesInRoundTwo, 9, 3).run());
    assertEquals(3, crashed.history("s").size(), "only the committed round survives");
    StudyOutcome resumed = runner("s", crashed, new StubObjective(Set.of()), 9, 3).run();
    assertEquals(6, resumed.added());
    assertEquals(expected.stream().map(Trial::params).toList(), resumed.trials().stream().map(Trial::params).toList());
  }

  @Test
  void run_timeBudget_stopsAfterTheRoundThatSpendsIt() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    Clock ticking = new Clock() {
      Instant now = T0;

      @Override
      public Instant instant() {
        now = now.plusSeconds(10);
        return now;
      }

      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
    StudyOutcome outcome = StudyRunner.builder().study("t").metric("loss", Direction.MINIMIZE)
        .optimizer(Optimizers.create("random", SPACE, Direction.MINIMIZE, 1)).batchSize(2)
        .budget(new Budget(100, Duration.ofSeconds(25))).objective(new StubObjective(Set.of())).store(store)
        .clock(ticking).build().run();
    assertTrue(outcome.trials().size() < 100);
    assertTrue(outcome.trials().size() >= 2);
  }

  @Test
  void foldStats_singleFold_hasNoInterval() {
    FoldStats s = FoldStats.of(List.of(0.5));
    assertEquals(0.5, s.mean());
    assertTrue(Double.isNaN(s.std()));
    assertTrue(Double.isNaN(s.ciLow()));
  }

  @Test
  void foldStats_threeFolds_usesStudentT() {
    FoldStats s = FoldStats.of(List.of(1.0, 2.0, 3.0));
    assertEquals(2.0, s.mean(), 1e-12);
    assertEquals(1.0, s.std(), 1e-12);
    // t(0.975, 2) = 4.302652729911275
    assertEquals(2.0 - 4.302652729911275 / Math.sqrt(3), s.ciLow(), 1e-9);
    assertEquals(2.0 + 4.302652729911275 / Math.sqrt(3), s.ciHigh(), 1e-9);
  }

  static StudyRunner withBudget(InMemoryTrialStore store, Budget budget, StopSignal stop) {
    return StudyRunner.builder().study("b").metric("loss", Direction.MINIMIZE)
        .optimizer(Optimizers.create("random", SPACE, Direction.MINIMIZE, 3)).batchSize(2).budget(budget)
        .objective(new StubObjective(Set.of())).store(store).clock(Clock.fixed(T0, ZoneOffset.UTC))
        .stopSignal(stop).build();
  }

  @Test
  void run_targetReached_stopsAfterThatRound() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    StudyOutcome outcome = withBudget(store, new Budget(50, null, 1e9, 0), new StopSignal()).run();
    assertEquals(StopReason.TARGET, outcome.stopReason());
    assertEquals(2, outcome.trials().size(), "any trial beats a loss target of 1e9, so one round runs");
  }

  @Test
  void run_noImprovementForPatienceTrials_stops() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    StudyOutcome outcome = withBudget(store, new Budget(200, null, null, 4), new StopSignal()).run();
    assertEquals(StopReason.PATIENCE, outcome.stopReason());
    int last = outcome.trials().get(outcome.trials().size() - 1).trialId();
    assertTrue(last - outcome.best().orElseThrow().trialId() >= 4);
    assertTrue(outcome.trials().size() < 200);
  }

  @Test
  void run_stopRequested_endsBetweenRoundsWithCommittedTrialsOnly() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    StopSignal stop = new StopSignal();
    Objective stopsDuringRoundTwo = new Objective() {
      int rounds;

      @Override
      public List<Evaluation> evaluate(List<Suggestion> batch, List<Trial> history) {
        if (++rounds == 2) {
          stop.request();
        }
        return new StubObjective(Set.of()).evaluate(batch, history);
      }
    };
    StudyOutcome outcome = StudyRunner.builder().study("s").metric("loss", Direction.MINIMIZE)
        .optimizer(Optimizers.create("random", SPACE, Direction.MINIMIZE, 3)).batchSize(2).budget(Budget.trials(10))
        .objective(stopsDuringRoundTwo).store(store).clock(Clock.fixed(T0, ZoneOffset.UTC)).stopSignal(stop)
        .build().run();
    assertEquals(StopReason.STOPPED, outcome.stopReason());
    assertEquals(4, store.history("s").size(), "the round in flight is finished and committed");
    assertTrue(assertDoesNotThrowIdle(stop));
  }

  private static boolean assertDoesNotThrowIdle(StopSignal stop) {
    try {
      return stop.awaitIdle(1, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void run_roundAbandonedOnShutdown_isNotCommitted() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    StopSignal stop = new StopSignal();
    Objective engineStopsInRoundTwo = new Objective() {
      int rounds;

      @Override
      public List<Evaluation> evaluate(List<Suggestion> batch, List<Trial> history) {
        if (++rounds == 2) {
          stop.abandon();
          List<Evaluation> failed = new ArrayList<>();
          batch.forEach(s -> failed.add(Evaluation.failed(s.trialId(), List.of(), "executor stopped", T0, T0)));
          return failed;
        }
        return new StubObjective(Set.of()).evaluate(batch, history);
      }
    };
    StudyOutcome outcome = StudyRunner.builder().study("s").metric("loss", Direction.MINIMIZE)
        .optimizer(Optimizers.create("random", SPACE, Direction.MINIMIZE, 3)).batchSize(2).budget(Budget.trials(10))
        .objective(engineStopsInRoundTwo).store(store).clock(Clock.fixed(T0, ZoneOffset.UTC)).stopSignal(stop)
        .build().run();
    assertEquals(StopReason.STOPPED, outcome.stopReason());
    assertEquals(2, store.history("s").size(), "the abandoned round's failures are not in the store");
    assertTrue(store.history("s").stream().allMatch(t -> t.status() == TrialStatus.COMPLETE));
  }

  @ParameterizedTest
  @CsvSource({"asha, tpe", "hyperband, tpe", "hyperband, bayes",
      "successive_halving, gp"})
  void run_withSchedule_promotesConfigurationsThroughTheBudgets_andResumesTheSameSchedule(String schedule,
      String algorithm) {
    Function<InMemoryTrialStore, StudyRunner> scheduled = store -> StudyRunner.builder()
        .study("asha").metric("loss", Direction.MINIMIZE)
        .optimizer(Optimizers.create(algorithm, SPACE, Direction.MINIMIZE, 7))
        .scheduler(Scheduler.of(schedule, 3, 1.0 / 9, Direction.MINIMIZE))
        .batchSize(4).budget(Budget.trials(30)).objective(new StubObjective(Set.of())).store(store)
        .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
    InMemoryTrialStore store = new InMemoryTrialStore();
    List<Trial> trials = scheduled.apply(store).run().trials();
    assertEquals(30, trials.size());
    List<Double> budgets = List.of(1.0 / 9, 1.0 / 3, 1.0);
    for (Trial t : trials) {
      int rung = budgets.indexOf(t.budget());
      assertTrue(rung >= 0, "budget " + t.budget());
      if (rung > 0 && !schedule.equals("hyperband")) {
        assertTrue(trials.stream().anyMatch(o -> o.trialId() < t.trialId() && o.budget() == budgets.get(rung - 1)
            && o.params().equals(t.params())), "trial " + t.trialId() + " was promoted from the budget below");
      }
    }
    assertTrue(trials.stream().anyMatch(t -> t.budget() == 1.0), "some configuration reached full budget");
    if (schedule.equals("hyperband")) {
      assertEquals(1.0 / 3, trials.get(13).budget(), "after the first bracket's 9 + 3 + 1, the second starts at 1/3");
      assertTrue(trials.stream().noneMatch(t -> t.trialId() > 13 && t.trialId() <= 18
          && trials.stream().anyMatch(o -> o.trialId() < t.trialId() && o.params().equals(t.params()))),
          "the second bracket's 5 configurations are new");
    }
    assertEquals(1.0, StudyOutcome.best(trials, Direction.MINIMIZE).orElseThrow().budget());

    InMemoryTrialStore resumed = new InMemoryTrialStore();
    resumed.commit(trials.subList(0, 12));
    assertEquals(trials, scheduled.apply(resumed).run().trials(), "the schedule comes from the tables alone");
  }

  static StudyRunner asha(InMemoryTrialStore store, Budget budget, Set<Integer> failing) {
    return StudyRunner.builder().study("mf").metric("loss", Direction.MINIMIZE)
        .optimizer(Optimizers.create("random", SPACE, Direction.MINIMIZE, 5))
        .scheduler(Scheduler.of("asha", 3, 1.0 / 9, Direction.MINIMIZE))
        .batchSize(4).budget(budget).objective(new StubObjective(failing)).store(store)
        .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
  }

  @Test
  void run_asha10Trials_endsWithTheIncumbentAtFullBudget_andOnlyFullBudgetTrialsCanBeBest() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    StudyOutcome outcome = asha(store, Budget.trials(10), Set.of()).run();
    List<Trial> trials = outcome.trials();
    List<Trial> scheduled = trials.subList(0, 10);
    assertTrue(scheduled.stream().allMatch(t -> t.budget() < 1), "10 asha trials stay below full budget");
    Trial incumbent = StudyOutcome.best(scheduled, Direction.MINIMIZE).orElseThrow();
    assertEquals(1.0 / 3, incumbent.budget(), 1e-12);
    assertEquals(11, trials.size(), "one trial past the budget: the incumbent at full budget");
    Trial last = trials.get(10);
    assertEquals(1.0, last.budget());
    assertEquals(incumbent.params(), last.params());
    assertEquals("incumbent", last.proposer());
    assertEquals(TrialStatus.COMPLETE, last.status());
    assertEquals(11, outcome.best().orElseThrow().trialId(), "the refit takes the full-budget trial");
    assertEquals(StopReason.TRIALS, outcome.stopReason());
    assertEquals(11, store.history("mf").size(), "committed like any round");

    StudyOutcome again = asha(store, Budget.trials(10), Set.of()).run();
    assertEquals(0, again.added(), "a finished study has its full-budget trial");
    assertEquals(11, again.best().orElseThrow().trialId());
  }

  @Test
  void run_ashaTargetReachedBelowFullBudget_stillEndsAtFullBudget() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    StudyOutcome outcome = asha(store, new Budget(50, null, 1e9, 0), Set.of()).run();
    assertEquals(StopReason.TARGET, outcome.stopReason());
    assertEquals(5, outcome.trials().size(), "one round at budget 1/9, then the incumbent at full budget");
    assertEquals(1.0, outcome.best().orElseThrow().budget());
  }

  @Test
  void run_incumbentFailsAtFullBudget_noBestTrial_andTheOutcomeSaysWhy() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    StudyOutcome outcome = asha(store, Budget.trials(10), Set.of(11)).run();
    assertEquals(TrialStatus.FAILED, outcome.trials().get(10).status());
    assertTrue(outcome.best().isEmpty(), "no trial completed at full budget");
    Trial below = StudyOutcome.best(outcome.trials(), Direction.MINIMIZE).orElseThrow();
    assertEquals("none completed at full budget (the best, trial " + below.trialId()
        + ", completed only at budget 0.3333, and its run at full budget did not complete)", outcome.whyNoBest());
    assertEquals(0, asha(store, Budget.trials(10), Set.of(11)).run().added(), "a failed full-budget run is not retried");
  }
}
