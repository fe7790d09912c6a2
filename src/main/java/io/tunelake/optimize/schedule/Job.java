package io.tunelake.optimize.schedule;

import java.util.Map;

/** A trial a scheduler hands out: an assignment and the budget to evaluate it at (1.0 = full). */
public record Job(Map<String, Object> params, double budget) {
  public Job {
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
  }
}
