package io.tunelake.study;

import java.util.Map;

/**
 * An assignment handed to the objective, numbered within its study, with the fidelity to
 * evaluate it at ({@code budget}: 1.0 is a full evaluation; a multi-fidelity schedule hands
 * out less) and who proposed it ({@code proposer}, see {@link io.tunelake.optimize.Proposal};
 * null when unknown); in a population-based study, the {@link Member} it trains (else null).
 */
public record Suggestion(int trialId, int round, Map<String, Object> params, double budget, String proposer,
    Member member) {
  public Suggestion {
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    if (!(budget > 0 && budget <= 1)) {
      throw new IllegalArgumentException("budget must be in (0, 1], but got " + budget);
    }
  }

  /** A suggestion outside a population. */
  public Suggestion(int trialId, int round, Map<String, Object> params, double budget, String proposer) {
    this(trialId, round, params, budget, proposer, null);
  }

  /** A suggestion at full budget from an unnamed proposer. */
  public Suggestion(int trialId, int round, Map<String, Object> params) {
    this(trialId, round, params, 1.0, null);
  }
}
