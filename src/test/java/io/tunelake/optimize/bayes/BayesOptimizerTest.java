package io.tunelake.optimize.bayes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.space.Categorical;
import io.tunelake.space.Condition;
import io.tunelake.space.Domain;
import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BayesOptimizerTest {

  private static BayesOptimizer bayes(SearchSpace space) {
    return new BayesOptimizer(new OptimizerConfig(space, Direction.MINIMIZE, 1, Map.of()));
  }

  @Test
  void flatMostlyNumericSpace_usesTheGaussianProcessUpTo1000Trials() {
    BayesOptimizer b = bayes(SearchSpace.of(FloatRange.logOf("lr", 1e-4, 1), IntRange.of("depth", 2, 10),
        Categorical.of("loss", "a", "b")));
    assertTrue(b.usesGaussianProcess(0));
    assertTrue(b.usesGaussianProcess(1000));
    assertFalse(b.usesGaussianProcess(1001));
  }

  @Test
  void conditionalSpace_usesTheGaussianProcess() {
    BayesOptimizer b = bayes(SearchSpace.of(List.of(Categorical.of("kind", "rf", "gbt"), IntRange.of("trees", 10, 100)),
        Map.of("trees", Condition.of("kind", "rf"))));
    assertTrue(b.usesGaussianProcess(0));
  }

  @Test
  void wideSpace_usesTpe() {
    List<Domain> wide = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      wide.add(FloatRange.of("x" + i, 0, 1));
    }
    assertFalse(bayes(SearchSpace.of(wide)).usesGaussianProcess(0));
  }
}
