package io.tunelake.space;

import java.util.List;
import java.util.Objects;

/**
 * Makes a parameter active only when its {@code parent} is active and takes one of
 * {@code values}; an inactive parameter is left out of the trial's assignment.
 */
public record Condition(String parent, List<Object> values) {

  public Condition {
    Objects.requireNonNull(parent, "parent");
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("a condition on '" + parent + "' needs at least one parent value");
    }
    values = values.stream().map(v -> Values.canonical(parent, v)).toList();
  }

  /** Active when {@code parent} takes any of {@code values}. */
  public static Condition of(String parent, Object... values) {
    return new Condition(parent, List.of(values));
  }

  boolean holdsFor(Object parentValue) {
    if (parentValue == null) {
      return false;
    }
    for (Object v : values) {
      if (v.equals(parentValue) || (v instanceof Number a && parentValue instanceof Number b
          && a.doubleValue() == b.doubleValue())) {
        return true;
      }
    }
    return false;
  }
}
