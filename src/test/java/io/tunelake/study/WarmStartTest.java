package io.tunelake.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  static Trial trial(String study, int id, double regParam, double score) {
    List<Double> folds = List.of(score);
    return new Trial(study, id, 1, TrialStatus.COMPLETE, Map.of("regParam", regParam, "family", "auto",
        "maxIter", 20), null, "areaUnderROC", folds, FoldStats.of(folds), 1.0, 10, Instant.EPOCH, Instant.EPOCH, null);
  }

  @Test
  void auto_takesTheMostSimilarStudiesWithTheSameEstimator_weightedBySimilarity() {
    InMemoryTrialStore store = new InMemoryTrialStore();
    for (String study : List.of("near", "far", "other-model", "regression")) {
      store.commit(List.of(trial(study, 1, 0.01, 0.9), trial(study, 2, 0.02, 0.8), trial(study, 3, 0.03, 0.7),
          trial(study, 4, 0.04, 0.6)));
    }
    DataProfile mine = new DataProfile(10_000, 10, 0.2, 0.9, null);
    List<WarmStart.Candidate> candidates = List.of(
        new WarmStart.Candidate("far", "logistic_regression", "areaUnderROC", new DataProfile(100, 40, 0.8, 0.3, null)),
        new WarmStart.Candidate("near", "logistic_regression", "areaUnderROC",
            new DataProfile(11_000, 10, 0.2, 0.88, null)),
        new WarmStart.Candidate("other-model", "random_forest", "areaUnderROC", mine),
        new WarmStart.Candidate("regression", "logistic_regression", "areaUnderROC",
            new DataProfile(10_000, 10, 0.2, null, 0.2)),
        new WarmStart.Candidate("new", "logistic_regression", "areaUnderROC", mine));
    WarmStart w = WarmStart.auto(store, "new", "logistic_regression", "areaUnderROC",
        io.tunelake.optimize.Direction.MAXIMIZE, mine, SPACE, candidates);

    assertEquals(List.of("near", "far"), w.sources().stream().map(WarmStart.Source::study).toList());
    WarmStart.Source near = w.sources().get(0);
    WarmStart.Source far = w.sources().get(1);
    assertEquals(4, near.used());
    double share = far.similarity() / near.similarity();
    assertEquals(Math.max(1, (int) Math.ceil(4 * share)), far.used());
    assertTrue(far.used() < 4, "a less similar study gives fewer trials: " + far);
    // The far study gives its best trials.
    assertEquals(0.9, w.priors().get(near.used()).value(), 1e-12);
    assertTrue(near.similarity() > 0.9 && near.similarity() <= 1, near.toString());
  }

  @Test
  void similarity_isOneForEqualData_andUndefinedAcrossTasks() {
    DataProfile a = new DataProfile(500, 4, 0, 1.0, null);
    assertEquals(1.0, WarmStart.similarity(a, a), 1e-12);
    assertTrue(Double.isNaN(WarmStart.similarity(a, new DataProfile(500, 4, 0, null, 0.3))));
    assertTrue(WarmStart.similarity(a, new DataProfile(5000, 4, 0, 1.0, null))
        > WarmStart.similarity(a, new DataProfile(50_000, 4, 0, 1.0, null)));
  }
}
