package io.tunelake.study;

import java.util.Map;

/**
 * An assignment handed to the objective, numbered within its study; {@code proposer} says who
 * proposed it ({@link io.tunelake.optimize.Proposal}), null when unknown.
 */
public record Suggestion(int trialId, int round, Map<String, Object> params, String proposer) {
  public Suggestion {
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
  }
}
