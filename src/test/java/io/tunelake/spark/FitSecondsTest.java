package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.study.Evaluation;
import io.tunelake.study.Suggestion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code evaluation.also: [fit_seconds]} is a figure for every fold of every trial, also when the
 * trial was fitted together with others: a fused lockstep's wall time is shared equally among its
 * models, a shared boosting run's among its trials by their share of its trees.
 */
@ExtendWith(SparkTestSession.class)
class FitSecondsTest {

  @Test
  void fusedLogisticTrials_eachRecordAPositiveFitTimePerFold() {
    List<Suggestion> batch = List.of(new Suggestion(1, 1, SparkCrossValidationTest.GOOD),
        new Suggestion(2, 1, Map.of("regParam", 0.05, "elasticNetParam", 0.5, "maxIter", 10)));
    List<Evaluation> out;
    try (SparkCrossValidation cv = SparkCrossValidationTest.objective("search.pruning=false",
        "search.fused_fits=true", "evaluation.also=[fit_seconds]")) {
      out = cv.evaluate(batch, List.of());
    }
    for (Evaluation e : out) {
      assertEquals(TrialStatus.COMPLETE, e.status(), e.toString());
      List<Double> seconds = e.secondary().get("fit_seconds");
      assertEquals(3, seconds.size(), "one figure per fold: " + e.secondary());
      seconds.forEach(s -> assertTrue(s > 0 && Double.isFinite(s), "fit_seconds " + seconds));
    }
  }

  @Test
  void sharedBoostingRun_chargesEachTrialItsShareOfTheTrees() {
    List<Suggestion> batch = List.of(new Suggestion(1, 1, Map.of("maxDepth", 2, "maxIter", 2)),
        new Suggestion(2, 1, Map.of("maxDepth", 2, "maxIter", 5)));
    List<Evaluation> out;
    try (SparkCrossValidation cv = SharedPrefixFitterTest.objective("search.fused_fits=true",
        "evaluation.also=[fit_seconds]")) {
      out = cv.evaluate(batch, List.of());
    }
    List<Double> two = out.get(0).secondary().get("fit_seconds");
    List<Double> five = out.get(1).secondary().get("fit_seconds");
    assertEquals(3, two.size());
    for (int f = 0; f < 3; f++) {
      assertTrue(five.get(f) > 0 && Double.isFinite(five.get(f)), "fit_seconds " + five);
      assertEquals(2.0 / 5, two.get(f) / five.get(f), 1e-9, "fold " + (f + 1) + ": 2 of the run's 5 trees");
    }
  }
}
