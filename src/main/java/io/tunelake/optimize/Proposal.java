package io.tunelake.optimize;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An assignment and who proposed it: the algorithm's name ({@code random}, {@code tpe}, ...),
 * or {@link #STARTUP} for a slot of the initial design that model-based optimizers run before
 * their model takes over. Stored per trial, it shows where the model-based phase begins.
 */
public record Proposal(Map<String, Object> params, String proposer) {
  /** The proposer of the scrambled Sobol startup design (see {@link Startup}). */
  public static final String STARTUP = "sobol-startup";

  public Proposal {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(params, "params")));
    if (proposer == null || proposer.isBlank()) {
      throw new IllegalArgumentException("a proposal needs a proposer, but got '" + proposer + "' for " + params);
    }
  }

  /** Every assignment of {@code params} as proposed by {@code proposer}. */
  public static List<Proposal> all(List<Map<String, Object>> params, String proposer) {
    return params.stream().map(p -> new Proposal(p, proposer)).toList();
  }

  /** The assignments of {@code proposals}, in order. */
  public static List<Map<String, Object>> params(List<Proposal> proposals) {
    return proposals.stream().map(Proposal::params).toList();
  }
}
