package io.tunelake.study;

import java.util.Map;

/** An assignment handed to the objective, numbered within its study. */
public record Suggestion(int trialId, int round, Map<String, Object> params) {
  public Suggestion {
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
  }
}
