package io.tunelake.optimize;

import io.tunelake.optimize.bayes.BayesOptimizer;
import io.tunelake.optimize.cmaes.CmaEsOptimizer;
import io.tunelake.optimize.gp.GaussianProcessOptimizer;
import io.tunelake.optimize.grid.GridSearch;
import io.tunelake.optimize.random.RandomSearch;
import io.tunelake.optimize.sobol.SobolSearch;
import io.tunelake.optimize.tpe.TpeOptimizer;
import io.tunelake.space.SearchSpace;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The registry that maps a spec's algorithm name to an optimizer:
 * {@code Optimizers.create("random", space, Direction.MAXIMIZE, 42)}. Names: {@code random},
 * {@code grid}, {@code sobol} (scrambled quasi-random), {@code tpe}, {@code gp}, {@code cmaes} and
 * {@code bayes}, the recommended default ({@link #DEFAULT}). See {@code docs/optimizers.md}.
 */
public final class Optimizers {
  private static final Map<String, Function<OptimizerConfig, Optimizer>> REGISTRY = new LinkedHashMap<>();

  static {
    REGISTRY.put("random", RandomSearch::new);
    REGISTRY.put("grid", GridSearch::new);
    REGISTRY.put("sobol", SobolSearch::new);
    REGISTRY.put("tpe", TpeOptimizer::new);
    REGISTRY.put("gp", GaussianProcessOptimizer::new);
    REGISTRY.put("cmaes", CmaEsOptimizer::new);
    REGISTRY.put("bayes", BayesOptimizer::new);
  }

  /** The algorithm a spec gets when it names none. */
  public static final String DEFAULT = "bayes";

  private Optimizers() {}

  /** The algorithm names a spec may use. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(REGISTRY.keySet());
  }

  /** Whether {@code name} is a registered algorithm. */
  public static boolean isKnown(String name) {
    return REGISTRY.containsKey(name);
  }

  /** Whether {@code name} builds a model of the results (TPE, GP, CMA-ES, bayes) rather than sampling blindly. */
  public static boolean isModelBased(String name) {
    return Set.of("tpe", "gp", "cmaes", "bayes").contains(name);
  }

  /** Creates the optimizer registered as {@code name}. */
  public static Optimizer create(String name, SearchSpace space, Direction direction, long seed) {
    return create(name, new OptimizerConfig(space, direction, seed, Map.of()));
  }

  /** Creates the optimizer registered as {@code name} with algorithm options. */
  public static Optimizer create(String name, OptimizerConfig config) {
    Function<OptimizerConfig, Optimizer> factory = REGISTRY.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(String.format(
          "unknown search algorithm '%s'; expected one of %s", name, REGISTRY.keySet()));
    }
    return factory.apply(config);
  }
}
