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

  @Test
  void of_studyOverFamilies_ranksTheFamily_andEachFamilysParameterAmongItsOwnTrials() {
    Random rnd = new Random(5);
    List<Map<String, Object>> params = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    String[] families = {"logistic_regression", "random_forest_classifier", "gbt"};
    for (int i = 0; i < 60; i++) {
      String family = families[i % 3];
      Map<String, Object> p = new java.util.LinkedHashMap<>();
      p.put("estimator", family);
      double score;
      if (family.equals("random_forest_classifier")) {
        int trees = 10 + rnd.nextInt(31);
        p.put("random_forest_classifier.numTrees", trees);
        score = 0.85 + 0.002 * trees;
      } else if (family.equals("gbt")) {
        p.put("gbt.stepSize", 0.05 + 0.45 * rnd.nextDouble());
        score = 0.92;
      } else {
        p.put("logistic_regression.regParam", Math.pow(10, -4 * rnd.nextDouble()));
        score = 0.80;
      }
      params.add(p);
      scores.add(score + 0.001 * rnd.nextGaussian());
    }
    Map<String, Double> imp = new java.util.HashMap<>();
    ParameterImportance.of(params, scores).forEach(i -> imp.put(i.parameter(), i.share()));
    assertEquals("estimator", ParameterImportance.of(params, scores).get(0).parameter());
    assertTrue(imp.get("estimator") > 0.8, imp.toString());
    // Within the forests' trials numTrees explains nearly everything; within the others' only
    // noise varies (20 trials in about 4 bins each leave it a chance share, well below numTrees').
    assertTrue(imp.get("random_forest_classifier.numTrees") > 0.8, imp.toString());
    assertTrue(imp.get("gbt.stepSize") < 0.3, imp.toString());
    assertTrue(imp.get("logistic_regression.regParam") < 0.3, imp.toString());
  }
}
