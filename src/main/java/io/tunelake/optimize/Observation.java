package io.tunelake.optimize;

import java.util.Map;
import java.util.Objects;

/**
 * A finished trial as an optimizer sees it: the assignment, how it ended and its metric value
 * (the mean over the folds it reached; NaN when it failed). {@code budget} is the fidelity it
 * was evaluated at, 1.0 for a full evaluation; {@code seconds} how long it took (NaN when
 * unknown), which a cost-aware optimizer models.
 */
public record Observation(Map<String, Object> params, TrialStatus status, double value, double budget,
    double seconds) {

  public Observation {
    params = Map.copyOf(Objects.requireNonNull(params, "params"));
    Objects.requireNonNull(status, "status");
    if (status == TrialStatus.COMPLETE && Double.isNaN(value)) {
      throw new IllegalArgumentException("a COMPLETE observation needs a value, but got NaN for " + params);
    }
  }

  /** A trial whose duration is unknown. */
  public Observation(Map<String, Object> params, TrialStatus status, double value, double budget) {
    this(params, status, value, budget, Double.NaN);
  }

  /** The same trial, known to have taken {@code seconds}. */
  public Observation withSeconds(double seconds) {
    return new Observation(params, status, value, budget, seconds);
  }

  /** A complete trial at full budget. */
  public static Observation complete(Map<String, Object> params, double value) {
    return new Observation(params, TrialStatus.COMPLETE, value, 1.0);
  }

  /** A failed trial, with no value. */
  public static Observation failed(Map<String, Object> params) {
    return new Observation(params, TrialStatus.FAILED, Double.NaN, 1.0);
  }

  /** Whether this trial yields a usable metric value. */
  public boolean hasValue() {
    return !Double.isNaN(value) && status != TrialStatus.FAILED;
  }
}
