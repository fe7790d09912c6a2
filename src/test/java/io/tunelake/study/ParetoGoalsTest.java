package io.tunelake.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.TrialStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The front, the knee and the selection rule over trials with AUC (up) and scoring time (down). */
class ParetoGoalsTest {
  private static final List<ParetoGoals.Goal> GOALS = List.of(new ParetoGoals.Goal("areaUnderROC", Direction.MAXIMIZE),
      new ParetoGoals.Goal("predict_ms_per_1k_rows", Direction.MINIMIZE));
  private static final ParetoGoals.Bound FIT_UNDER_60 = new ParetoGoals.Bound("fit_seconds", null, 60.0);

  static Trial trial(int id, double auc, double ms, double fitSeconds) {
    return new Trial("s", id, id, TrialStatus.COMPLETE, Map.of("x", (Object) id), "random", "areaUnderROC", List.of(auc, auc),
        FoldStats.of(List.of(auc, auc)), 1.0, 1000, Instant.EPOCH, Instant.EPOCH, null,
        Map.of("predict_ms_per_1k_rows", List.of(ms, ms), "fit_seconds", List.of(fitSeconds, fitSeconds)), 0, null,
        null);
  }

  /** 1 is the most accurate but slowest, 3 the fastest; 2 a balance; 4 dominated by 2; 5 best of all but too slow to fit. */
  static final List<Trial> TRIALS = List.of(
      trial(1, 0.92, 10, 5), trial(2, 0.91, 2, 5), trial(3, 0.80, 1, 5), trial(4, 0.90, 3, 5), trial(5, 0.95, 0.5, 90));

  @Test
  void front_isTheNonDominatedFeasibleTrials() {
    ParetoGoals goals = new ParetoGoals(GOALS, List.of(FIT_UNDER_60), null);
    assertEquals(List.of(1, 2, 3), goals.front(TRIALS).stream().map(Trial::trialId).toList());
    assertFalse(goals.feasible(TRIALS.get(4)));
    // Without the constraint, trial 5 dominates everyone.
    assertEquals(List.of(5), new ParetoGoals(GOALS, List.of(), null).front(TRIALS).stream().map(Trial::trialId).toList());
  }

  @Test
  void best_withoutARule_isTheKnee_andSaysWhy() {
    ParetoGoals goals = new ParetoGoals(GOALS, List.of(FIT_UNDER_60), null);
    // Scaled over the front: 1 = (0, 1), 2 = (1/12, 1/9), 3 = (1, 0); 2 is nearest the ideal point.
    Trial knee = goals.best(TRIALS).orElseThrow();
    assertEquals(2, knee.trialId());
    String why = goals.why(knee, TRIALS);
    assertTrue(why.startsWith("trial 2, the knee of the front of 3"), why);
    assertTrue(why.contains("areaUnderROC 0.9100 (best on the front 0.9200)"), why);
  }

  @Test
  void best_byTheRule_isTheBestMetricWithinItsBounds_neverAnInfeasibleTrial() {
    ParetoGoals rule = new ParetoGoals(GOALS, List.of(FIT_UNDER_60), new ParetoGoals.Select("areaUnderROC", true,
        List.of(new ParetoGoals.Bound("predict_ms_per_1k_rows", null, 5.0))));
    assertEquals(2, rule.best(TRIALS).orElseThrow().trialId());
    ParetoGoals single = new ParetoGoals(GOALS.subList(0, 1), List.of(FIT_UNDER_60), null);
    assertEquals(1, single.best(TRIALS).orElseThrow().trialId(), "trial 5 breaks the constraint");
  }

  @Test
  void observe_givesTheOptimizerEveryObjectiveAndFeasibility() {
    ParetoGoals goals = new ParetoGoals(GOALS, List.of(FIT_UNDER_60), null);
    Observation o = goals.observe(TRIALS.get(4));
    assertEquals(List.of(0.95, 0.5), o.objectives());
    assertFalse(o.feasible());
    assertTrue(goals.observe(TRIALS.get(0)).feasible());
  }
}
