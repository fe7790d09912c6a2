package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Optimizers;
import io.tunelake.optimize.Proposal;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every optimizer searches a choice of model families through the conditional space. */
class FamilySearchTest {
  static Set<String> algorithms() {
    return Optimizers.names();
  }

  @ParameterizedTest
  @MethodSource("algorithms")
  void everyOptimizer_proposesValidTrialsOfEveryFamily(String algorithm) {
    SearchSpace space = SparkStudyPlan.checkStatic(StudyPipelineTest.parse(StudyPipelineTest.FAMILIES_SPEC)).space();
    Optimizer optimizer = Optimizers.create(algorithm, space, Direction.MAXIMIZE, 42);
    List<Observation> history = new ArrayList<>();
    Set<Object> families = new TreeSet<>();
    Random rng = new Random(1);
    for (int round = 0; round < 4; round++) {
      for (Proposal p : optimizer.ask(6, history, List.of())) {
        Map<String, Object> params = p.params();
        assertTrue(space.contains(params), algorithm + " proposed " + params);
        Object family = params.get(StudyPipeline.FAMILY);
        families.add(family);
        params.keySet().stream().filter(k -> k.contains("."))
            .forEach(k -> assertTrue(k.startsWith(family + "."), algorithm + ": " + k + " set for " + family));
        history.add(Observation.complete(params, "gbt".equals(family) ? 0.9 : rng.nextDouble() * 0.8));
      }
    }
    assertEquals(Set.of("gbt", "logistic_regression", "random_forest_classifier"), families, algorithm);
  }
}
