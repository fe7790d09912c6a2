package io.tunelake.optimize;

import io.tunelake.space.SearchSpace;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The registry that maps a spec's algorithm name to an optimizer:
 * {@code Optimizers.create("random", space, Direction.MAXIMIZE, 42)}. Names: {@code random},
 * {@code grid}, {@code sobol} (scrambled quasi-random), {@code tpe}, {@code gp}, {@code cmaes} and
 * {@code bayes}, the recommended default ({@link #DEFAULT}). Algorithms are found with a
 * {@link ServiceLoader} ({@link Algorithm}); each declares its options, which
 * {@link #options(String)} lists and {@link #checkOptions} checks. See {@code docs/optimizers.md}.
 */
public final class Optimizers {
  private static final Map<String, Algorithm> REGISTRY = load();

  /** The algorithm a spec gets when it names none. */
  public static final String DEFAULT = "bayes";

  private Optimizers() {}

  private static Map<String, Algorithm> load() {
    Map<String, Algorithm> out = new LinkedHashMap<>();
    // The class's own loader, not the thread's: under spark-submit the two may differ.
    for (Algorithm a : ServiceLoader.load(Algorithm.class, Algorithm.class.getClassLoader())) {
      if (out.put(a.name(), a) != null) {
        throw new IllegalStateException("two search algorithms are registered as '" + a.name() + "'");
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** The algorithm names a spec may use. */
  public static Set<String> names() {
    return REGISTRY.keySet();
  }

  /** Whether {@code name} is a registered algorithm. */
  public static boolean isKnown(String name) {
    return REGISTRY.containsKey(name);
  }

  /** Whether {@code name} builds a model of the results (TPE, GP, CMA-ES, bayes) rather than sampling blindly. */
  public static boolean isModelBased(String name) {
    Algorithm a = REGISTRY.get(name);
    return a != null && a.isModelBased();
  }

  /** The options algorithm {@code name} reads from {@code search.options}, in declaration order. */
  public static List<Option> options(String name) {
    return algorithm(name).options();
  }

  /**
   * Checks the {@code search.options} of algorithm {@code name}: every key must be one of its
   * {@link #options(String)} and every value fit the option's type and range. Returns the
   * options with canonical values (Integer, Double, Boolean); throws {@link OptionException}
   * (an {@link IllegalArgumentException}) naming the field {@code search.options.<key>}, the
   * value and what was expected, with the nearest valid name for an unknown key.
   */
  public static Map<String, Object> checkOptions(String name, Map<String, Object> options) {
    List<Option> declared = options(name);
    Map<String, Option> byName = new LinkedHashMap<>();
    declared.forEach(o -> byName.put(o.name(), o));
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : options.entrySet()) {
      Option o = byName.get(e.getKey());
      if (o == null) {
        throw OptionException.unknown(name, e.getKey(), byName.keySet());
      }
      out.put(e.getKey(), o.check(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  /** Creates the optimizer registered as {@code name}. */
  public static Optimizer create(String name, SearchSpace space, Direction direction, long seed) {
    return create(name, new OptimizerConfig(space, direction, seed, Map.of()));
  }

  /**
   * Creates the optimizer registered as {@code name} with algorithm options, checked first. With
   * several objectives, an algorithm that handles only one optimises a fresh random
   * scalarisation of them each round (ParEGO, Knowles 2006; see {@link ParEgoOptimizer}).
   */
  public static Optimizer create(String name, OptimizerConfig config) {
    Algorithm a = algorithm(name);
    checkOptions(name, config.options());
    if (config.isMultiObjective() && !a.isMultiObjective()) {
      return new ParEgoOptimizer(a.create(new OptimizerConfig(config.space(), Direction.MINIMIZE, config.seed(),
          config.options())), config);
    }
    return a.create(config);
  }

  /** Whether algorithm {@code name} handles several objectives itself rather than by scalarisation. */
  public static boolean isMultiObjective(String name) {
    Algorithm a = REGISTRY.get(name);
    return a != null && a.isMultiObjective();
  }

  private static Algorithm algorithm(String name) {
    Algorithm a = REGISTRY.get(name);
    if (a == null) {
      throw new IllegalArgumentException(String.format(
          "unknown search algorithm '%s'; expected one of %s", name, REGISTRY.keySet()));
    }
    return a;
  }
}
