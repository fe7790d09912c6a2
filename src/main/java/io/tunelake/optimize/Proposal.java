package io.tunelake.optimize;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An assignment to evaluate, who proposed it and the budget to evaluate it at (1.0 = full; a
 * multi-fidelity scheduler hands out less). The proposer is the startup design
 * ({@link #STARTUP}), the algorithm's model (its name: {@code tpe}, {@code gp}, ...),
 * {@code random} when a model had nothing new to offer, or {@link #PROMOTION} for a
 * configuration a scheduler moved to a higher budget. Stored per trial, it shows where the
 * model-based phase begins.
 */
public record Proposal(Map<String, Object> params, String proposer, double budget) {
  /** The proposer of the scrambled Sobol startup design (see {@link Startup}). */
  public static final String STARTUP = "sobol-startup";
  /** The proposer of a configuration that earned a higher budget. */
  public static final String PROMOTION = "promotion";

  public Proposal {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(params, "params")));
    if (proposer == null || proposer.isBlank()) {
      throw new IllegalArgumentException("a proposal needs a proposer, but got '" + proposer + "' for " + params);
    }
    if (!(budget > 0 && budget <= 1)) {
      throw new IllegalArgumentException("a proposal's budget must be in (0, 1], but got " + budget + " for " + params);
    }
  }

  /** A proposal at full budget. */
  public Proposal(Map<String, Object> params, String proposer) {
    this(params, proposer, 1.0);
  }

  /** Whether the startup design proposed it, rather than a model or a scheduler. */
  public boolean isStartup() {
    return STARTUP.equals(proposer);
  }

  /** The same proposal at {@code budget}. */
  public Proposal withBudget(double budget) {
    return new Proposal(params, proposer, budget);
  }

  /** The assignments of {@code proposals}, in order. */
  public static List<Map<String, Object>> params(List<Proposal> proposals) {
    return proposals.stream().map(Proposal::params).toList();
  }
}
