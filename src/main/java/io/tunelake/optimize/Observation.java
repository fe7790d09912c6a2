package io.tunelake.optimize;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A finished trial as an optimizer sees it: the assignment, how it ended and its metric value
 * (the mean over the folds it reached; NaN when it failed). {@code budget} is the fidelity it
 * was evaluated at, 1.0 for a full evaluation; {@code seconds} how long it took (NaN when
 * unknown), which a cost-aware optimizer models.
 *
 * <p>A study with several objectives also gives each objective's mean, in the order of
 * {@link OptimizerConfig#objectives()} (the first is {@code value}; empty for a single
 * objective), and whether the trial met every constraint ({@code feasible}; an infeasible trial
 * is never preferred to a feasible one).
 */
public record Observation(Map<String, Object> params, TrialStatus status, double value, double budget,
    double seconds, List<Double> objectives, boolean feasible) {

  public Observation {
    params = Map.copyOf(Objects.requireNonNull(params, "params"));
    Objects.requireNonNull(status, "status");
    objectives = List.copyOf(objectives);
    if (status == TrialStatus.COMPLETE && Double.isNaN(value)) {
      throw new IllegalArgumentException("a COMPLETE observation needs a value, but got NaN for " + params);
    }
  }

  /** A feasible trial with one objective. */
  public Observation(Map<String, Object> params, TrialStatus status, double value, double budget, double seconds) {
    this(params, status, value, budget, seconds, List.of(), true);
  }

  /** The same trial with each objective's mean ({@code values}) and whether it met every constraint. */
  public Observation withObjectives(List<Double> values, boolean feasible) {
    return new Observation(params, status, value, budget, seconds, values, feasible);
  }

  /** A trial whose duration is unknown. */
  public Observation(Map<String, Object> params, TrialStatus status, double value, double budget) {
    this(params, status, value, budget, Double.NaN);
  }

  /** The same trial, known to have taken {@code seconds}. */
  public Observation withSeconds(double seconds) {
    return new Observation(params, status, value, budget, seconds, objectives, feasible);
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
