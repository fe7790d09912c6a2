package io.tunelake.optimize.schedule;

import java.util.Map;

/**
 * A trial a scheduler hands out: an assignment, the budget to evaluate it at (1.0 = full), and
 * who proposed it: the optimizer's label for a new configuration, {@link #PROMOTION} for one
 * promoted to a higher budget.
 */
public record Job(Map<String, Object> params, double budget, String proposer) {
  /** The proposer of a configuration that earned a higher budget. */
  public static final String PROMOTION = "promotion";

  public Job {
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
  }
}
