package io.tunelake.optimize;

import io.tunelake.space.SearchSpace;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an optimizer is made from: the space, the metric's direction, the seed, and the
 * algorithm's options (for example {@code grid_points} for grid search), read through the
 * {@link Option} that declares each. {@code objectives} holds the direction of every objective
 * of a study with several (the first is {@code direction}); a single-objective study has just
 * {@code direction}.
 */
public record OptimizerConfig(SearchSpace space, Direction direction, long seed, Map<String, Object> options,
    List<Direction> objectives) {

  public OptimizerConfig {
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(direction, "direction");
    options = Map.copyOf(options == null ? Map.of() : options);
    objectives = objectives == null || objectives.isEmpty() ? List.of(direction) : List.copyOf(objectives);
    if (objectives.get(0) != direction) {
      throw new IllegalArgumentException("the first objective's direction must be the metric's, " + direction
          + ", but got " + objectives);
    }
  }

  /** A single-objective config. */
  public OptimizerConfig(SearchSpace space, Direction direction, long seed, Map<String, Object> options) {
    this(space, direction, seed, options, List.of(direction));
  }

  /** The same config for objectives with {@code directions} (the first is the metric's). */
  public OptimizerConfig withObjectives(List<Direction> directions) {
    return new OptimizerConfig(space, directions.get(0), seed, options, directions);
  }

  /** Whether the study has more than one objective. */
  public boolean isMultiObjective() {
    return objectives.size() > 1;
  }

  /** Whether the options set {@code option}. */
  public boolean has(Option option) {
    return options.containsKey(option.name());
  }

  /** An integer option's value, or its declared default. */
  public int intValue(Option option) {
    return ((Number) declared(option)).intValue();
  }

  /** An integer option's value, or {@code fallback} for an option whose default depends on the space. */
  public int intValue(Option option, int fallback) {
    return has(option) ? intValue(option) : fallback;
  }

  /** A real option's value, or its declared default. */
  public double realValue(Option option) {
    return ((Number) declared(option)).doubleValue();
  }

  /** A boolean option's value, or its declared default. */
  public boolean flag(Option option) {
    return (Boolean) declared(option);
  }

  private Object declared(Option option) {
    Object v = option.valueIn(options);
    if (v == null) {
      throw new IllegalStateException("option " + option.name() + " has no fixed default; read it with a fallback");
    }
    return v;
  }
}
