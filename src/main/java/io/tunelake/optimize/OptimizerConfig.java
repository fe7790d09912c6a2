package io.tunelake.optimize;

import io.tunelake.space.SearchSpace;
import java.util.Map;
import java.util.Objects;

/**
 * What an optimizer is made from: the space, the metric's direction, the seed, and options
 * particular to the algorithm (for example {@code grid_points} for grid search).
 */
public record OptimizerConfig(SearchSpace space, Direction direction, long seed, Map<String, Object> options) {

  public OptimizerConfig {
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(direction, "direction");
    options = Map.copyOf(options == null ? Map.of() : options);
  }

  /** An integer option, or {@code fallback} when absent. */
  public int intOption(String key, int fallback) {
    Object v = options.get(key);
    return v instanceof Number n ? n.intValue() : fallback;
  }

  /** A real option, or {@code fallback} when absent. */
  public double doubleOption(String key, double fallback) {
    Object v = options.get(key);
    return v instanceof Number n ? n.doubleValue() : fallback;
  }

  /** A boolean option, or {@code fallback} when absent; accepts Boolean or the strings true/false. */
  public boolean booleanOption(String key, boolean fallback) {
    Object v = options.get(key);
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    return fallback;
  }
}
