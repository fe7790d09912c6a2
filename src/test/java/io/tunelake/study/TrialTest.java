package io.tunelake.study;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunelake.optimize.TrialStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialTest {

  private static Trial trial(TrialStatus status, List<Double> folds, long durationMs, Map<String, List<Double>> also) {
    return new Trial("s", 1, 1, status, Map.of("x", 1.0), "gp", "rmse", folds, FoldStats.of(folds), 1.0, durationMs,
        Instant.EPOCH, Instant.EPOCH, null, also, 0, null, null);
  }

  @Test
  void toObservation_withFitSeconds_costsTheMeanFitSecondsPerFold() {
    Trial t = trial(TrialStatus.PRUNED, List.of(0.5), 9000, Map.of("fit_seconds", List.of(2.0, Double.NaN)));
    assertEquals(2.0, t.toObservation().seconds());
  }

  @Test
  void toObservation_withoutFitSeconds_costsItsDuration() {
    Trial t = trial(TrialStatus.COMPLETE, List.of(0.5, 0.7), 3500, Map.of());
    assertEquals(3.5, t.toObservation().seconds());
  }
}
