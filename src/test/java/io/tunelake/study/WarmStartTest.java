package io.tunelake.study;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunelake.optimize.Observation;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.space.Categorical;
import io.tunelake.space.Fixed;
import io.tunelake.space.FloatRange;
import io.tunelake.space.SearchSpace;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmStartTest {
  static final SearchSpace SPACE = SearchSpace.of(new FloatRange("regParam", 1e-4, 0.1, true, 0),
      new Categorical("family", List.of("auto", "binomial")), new Fixed("maxIter", 20));

  static Trial trial(int id, String metric, Map<String, Object> params) {
    List<Double> folds = List.of(0.8, 0.82);
    return new Trial("old", id, 1, TrialStatus.COMPLETE, params, null, metric, folds, FoldStats.of(folds), 1.0, 10,
        Instant.EPOCH, Instant.EPOCH, null);
  }

  @Test
  void compatible_keepsOnlyTrialsInsideTheSpaceOnTheSameMetric() {
    List<Trial> old = List.of(
        trial(1, "areaUnderROC", Map.of("regParam", 0.01, "family", "auto", "maxIter", 20)),
        trial(2, "areaUnderROC", Map.of("regParam", 0.5, "family", "auto", "maxIter", 20)),
        trial(3, "areaUnderROC", Map.of("regParam", 0.01, "family", "multinomial", "maxIter", 20)),
        trial(4, "areaUnderROC", Map.of("regParam", 0.01, "family", "auto", "maxIter", 50)),
        trial(5, "areaUnderROC", Map.of("regParam", 0.01, "family", "auto", "maxIter", 20, "tol", 1e-6)),
        trial(6, "areaUnderPR", Map.of("regParam", 0.01, "family", "auto", "maxIter", 20)),
        trial(7, "areaUnderROC", Map.of("regParam", 0.002, "family", "binomial", "maxIter", 20)));
    List<Observation> kept = WarmStart.compatible(old, "areaUnderROC", SPACE);
    assertEquals(List.of(0.01, 0.002), kept.stream().map(o -> o.params().get("regParam")).toList());
    assertEquals(0.81, kept.get(0).value(), 1e-12);
  }
}
