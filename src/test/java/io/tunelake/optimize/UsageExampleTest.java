package io.tunelake.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.space.Categorical;
import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The program shown in docs/optimizers.md; keep the two in step. */
class UsageExampleTest {

  @Test
  void docsProgram_tunesWithoutSpark() {
    // --- docs/optimizers.md ---
    SearchSpace space = SearchSpace.of(
        FloatRange.logOf("regParam", 1e-4, 1.0),
        IntRange.of("maxIter", 10, 200),
        Categorical.of("solver", "lbfgs", "owlqn"));
    Optimizer optimizer = Optimizers.create("bayes", space, Direction.MINIMIZE, 42);
    List<Observation> history = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (Proposal p : optimizer.ask(4, history, List.of())) {
        double loss = Math.pow(Math.log10((Double) p.params().get("regParam")) + 2, 2); // your metric here
        history.add(Observation.complete(p.params(), loss));
      }
    }
    // --- end ---
    assertEquals(20, history.size());
    double best = history.stream().mapToDouble(Observation::value).min().orElseThrow();
    assertTrue(best < 0.1, "best loss after 20 trials: " + best);
  }
}
