package io.tunelake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParameterImportanceTest {

  @Test
  void of_scoreDrivenByOneParameter_ranksItFirstAndTheNoiseNearZero() {
    Random rnd = new Random(3);
    List<Map<String, Object>> params = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      double reg = Math.pow(10, -4 + 4 * rnd.nextDouble());
      double noise = rnd.nextDouble();
      String solver = rnd.nextBoolean() ? "auto" : "l-bfgs";
      params.add(Map.of("regParam", reg, "noise", noise, "solver", solver));
      scores.add(0.9 - 0.05 * Math.abs(Math.log10(reg) + 2) + 0.002 * rnd.nextGaussian());
    }
    List<ParameterImportance.Importance> imp = ParameterImportance.of(params, scores);
    assertEquals("regParam", imp.get(0).parameter());
    assertTrue(imp.get(0).share() > 0.6, imp.toString());
    for (ParameterImportance.Importance i : imp.subList(1, imp.size())) {
      assertTrue(i.share() < 0.1, imp.toString());
    }
  }

  @Test
  void of_categoricalParameter_isGroupedByValue() {
    List<Map<String, Object>> params = List.of(Map.of("solver", "a"), Map.of("solver", "a"), Map.of("solver", "b"),
        Map.of("solver", "b"), Map.of("solver", "a"), Map.of("solver", "b"));
    // Between groups: means 0.1 and 0.9 explain all of the variance but the tiny within-group spread.
    List<Double> scores = List.of(0.1, 0.11, 0.9, 0.91, 0.09, 0.89);
    List<ParameterImportance.Importance> imp = ParameterImportance.of(params, scores);
    assertEquals(1, imp.size());
    assertTrue(imp.get(0).share() > 0.99, imp.toString());
  }

  @Test
  void of_tooFewTrials_isEmpty() {
    assertTrue(ParameterImportance.of(List.of(Map.of("a", 1.0), Map.of("a", 2.0), Map.of("a", 3.0)),
        List.of(0.1, 0.2, 0.3)).isEmpty());
  }

  @Test
  void of_fixedParameter_isLeftOut() {
    List<Map<String, Object>> params = List.of(Map.of("a", 1.0, "fixed", 15), Map.of("a", 2.0, "fixed", 15),
        Map.of("a", 3.0, "fixed", 15), Map.of("a", 4.0, "fixed", 15));
    List<ParameterImportance.Importance> imp = ParameterImportance.of(params, List.of(0.1, 0.2, 0.3, 0.4));
    assertEquals(List.of("a"), imp.stream().map(ParameterImportance.Importance::parameter).toList());
  }
}
