package io.tunelake.optimize.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  private static final double B0 = 1.0 / 9;
  private static final double B1 = 1.0 / 3;

  /** Proposes x = 1000, 1001, ... skipping what history and pending hold; records what it was shown. */
  private static final class Counter implements Optimizer {
    List<Observation> lastHistory = List.of();
    List<Map<String, Object>> lastPending = List.of();

    @Override
    public String name() {
      return "counter";
    }

    @Override
    public List<Proposal> ask(int n, List<Observation> history, List<Map<String, Object>> pending) {
      lastHistory = history;
      lastPending = pending;
      List<Proposal> out = new ArrayList<>();
      for (int x = 1000; out.size() < n; x++) {
        Map<String, Object> p = Map.of("x", x);
        if (history.stream().noneMatch(o -> o.params().equals(p)) && !pending.contains(p)) {
          out.add(new Proposal(p, name()));
        }
      }
      return out;
    }
  }

  @Test
  void rungsGoFromTheMinimumBudgetToOneInStepsOfEta() {
    List<Double> budgets = Rungs.of(3, B0).budgets();
    assertEquals(3, budgets.size());
    assertEquals(B0, budgets.get(0), 1e-12);
    assertEquals(B1, budgets.get(1), 1e-12);
    assertEquals(1.0, budgets.get(2));
    assertEquals(List.of(0.25, 0.5, 1.0), Rungs.of(2, 0.25).budgets());
  }

  @Test
  void asha_promotesExactlyTheTopThirdOfEachRung_thenStartsNewConfigurations() {
    Scheduler asha = Scheduler.of("asha", 3, B0, Direction.MAXIMIZE);
    List<Observation> history = new ArrayList<>();
    double[] scores = {0.5, 0.9, 0.1, 0.7, 0.3, 0.8, 0.2, 0.6, 0.4};
    for (int i = 0; i < scores.length; i++) {
      history.add(obs(i, scores[i], B0));
    }
    List<Proposal> proposed = asha.next(5, history, List.of(), new Counter());
    assertEquals(List.of(Proposal.PROMOTION, Proposal.PROMOTION, Proposal.PROMOTION, "counter", "counter"),
        proposed.stream().map(Proposal::proposer).toList());
    List<Proposal> jobs = plain(proposed);
    assertEquals(List.of(job(1, B1), job(5, B1), job(3, B1), job(1000, B0), job(1001, B0)), jobs,
        "the top 3 of 9 (0.9, 0.8, 0.7) go to 1/3, then new configurations start at 1/9");

    history.add(obs(1, 0.95, B1));
    history.add(obs(5, 0.85, B1));
    history.add(obs(3, 0.75, B1));
    List<Proposal> next = plain(asha.next(2, history, List.of(), new Counter()));
    assertEquals(List.of(job(1, 1.0), job(1000, B0)), next, "the top 1 of 3 at 1/3 goes to full budget; the rest "
        + "of rung 0 has had its promotions");
  }

  @Test
  void asha_countsFailedTrialsInTheRungButNeverPromotesThem() {
    Scheduler asha = Scheduler.of("asha", 3, B0, Direction.MINIMIZE);
    List<Observation> history = new ArrayList<>(List.of(obs(0, 5.0, B0), obs(1, 1.0, B0), obs(2, 3.0, B0)));
    history.add(new Observation(Map.of("x", 3), TrialStatus.FAILED, Double.NaN, B0));
    history.add(new Observation(Map.of("x", 4), TrialStatus.PRUNED, 0.5, B0));
    history.add(obs(5, 2.0, B0));
    assertEquals(List.of(job(1, B1), job(5, B1), job(1000, B0)), plain(asha.next(3, history, List.of(), new Counter())),
        "6 in the rung earn 2 promotions: the two best complete ones (1.0 and 2.0; lower is better)");
  }

  @Test
  void newConfigurationsAreModelledOnTheHighestBudgetWithEnoughTrials_othersArePending() {
    Scheduler asha = Scheduler.of("asha", 3, B0, Direction.MAXIMIZE);
    List<Observation> history = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      history.add(obs(i, 0.1 * i, B0));
    }
    Counter opt = new Counter();
    List<Proposal> jobs = plain(asha.next(2, history, List.of(Observation.complete(Map.of("x", 99), 0.5)), opt));
    assertEquals(List.of(job(3, B1), job(1000, B0)), jobs);
    assertEquals(5, opt.lastHistory.size(), "rung 0 and the warm-start prior");
    assertEquals(1, opt.lastPending.size(), "the promotion handed out in this call");
  }

  @Test
  void successiveHalving_runsStageByStage() {
    Scheduler sh = Scheduler.of("successive_halving", 3, B0, Direction.MAXIMIZE);
    List<Observation> history = new ArrayList<>();
    Counter opt = new Counter();
    List<Proposal> first = plain(sh.next(4, history, List.of(), opt));
    assertEquals(List.of(job(1000, B0), job(1001, B0), job(1002, B0), job(1003, B0)), first);
    for (int i = 0; i < 8; i++) {
      history.add(obs(1000 + i, i, B0));
    }
    assertEquals(List.of(job(1008, B0)), plain(sh.next(4, history, List.of(), opt)), "rung 0 of 9 must finish first");
    history.add(obs(1008, 3.5, B0));
    assertEquals(List.of(job(1007, B1), job(1006, B1), job(1005, B1)), plain(sh.next(4, history, List.of(), opt)));
    history.add(obs(1007, 0.1, B1));
    history.add(obs(1006, 0.3, B1));
    history.add(obs(1005, 0.2, B1));
    assertEquals(List.of(job(1006, 1.0)), plain(sh.next(4, history, List.of(), opt)));
    history.add(obs(1006, 0.3, 1.0));
    assertEquals(List.of(job(1009, B0), job(1010, B0)), plain(sh.next(2, history, List.of(), opt)), "a new bracket");
  }

  @Test
  void hyperband_cyclesThroughBracketsStartingAtEveryRung() {
    SuccessiveHalving hb = (SuccessiveHalving) Scheduler.of("hyperband", 3, B0, Direction.MAXIMIZE);
    assertEquals(List.of(new SuccessiveHalving.Bracket(0, 9), new SuccessiveHalving.Bracket(1, 5),
        new SuccessiveHalving.Bracket(2, 3)), hb.brackets());
    List<Observation> history = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      history.add(obs(i, i, B0));
    }
    for (int i = 6; i < 9; i++) {
      history.add(obs(i, i, B1));
    }
    history.add(obs(8, 8, 1.0));
    assertEquals(List.of(job(1000, B1), job(1001, B1)), plain(hb.next(2, history, List.of(), new Counter())),
        "the second bracket starts 5 new configurations at 1/3");
  }

  private static Observation obs(int x, double value, double budget) {
    return new Observation(Map.of("x", x), TrialStatus.COMPLETE, value, budget);
  }

  private static Proposal job(int x, double budget) {
    return new Proposal(Map.of("x", x), "any", budget);
  }

  /** The proposals without their proposer, to compare with {@link #job}. */
  private static List<Proposal> plain(List<Proposal> proposals) {
    return proposals.stream().map(j -> new Proposal(j.params(), "any", j.budget())).toList();
  }
}
