package io.tunelake.optimize;

import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import io.tunelake.space.SearchSpace;
import java.util.List;
import java.util.Map;

/** Asks every optimizer for a batch, run by {@link OptimizersJarIT} with the application jar alone on the classpath. */
public final class JarOnlyMain {
  private JarOnlyMain() {}

  public static void main(String[] args) {
    SearchSpace space = SearchSpace.of(FloatRange.logOf("regParam", 1e-4, 1), IntRange.of("maxDepth", 2, 8));
    for (String name : Optimizers.names()) {
      Optimizer o = Optimizers.create(name, new OptimizerConfig(space, Direction.MAXIMIZE, 1, Map.of()));
      System.out.println(name + " " + o.ask(2, List.of(), List.of()).size());
    }
  }
}
