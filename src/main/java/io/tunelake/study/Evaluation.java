package io.tunelake.study;

import io.tunelake.optimize.TrialStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the objective reports for one suggestion: its fold scores (every fold when COMPLETE, the
 * folds reached when PRUNED or FAILED), why it failed, the secondary metrics of the folds it
 * reached (name to one value per fold; they do not steer the search), and how many stage fits
 * it took from fits shared with other trials instead of fitting them itself.
 */
public record Evaluation(
    int trialId,
    TrialStatus status,
    List<Double> foldMetrics,
    Instant startedAt,
    Instant finishedAt,
    String error,
    Map<String, List<Double>> secondary,
    int stageFitsReused) {

  public Evaluation {
    Objects.requireNonNull(status, "status");
    foldMetrics = List.copyOf(foldMetrics);
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    secondary.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    secondary = Collections.unmodifiableMap(copy);
  }

  /** An evaluation without secondary metrics or shared fits. */
  public Evaluation(int trialId, TrialStatus status, List<Double> foldMetrics, Instant startedAt, Instant finishedAt,
      String error) {
    this(trialId, status, foldMetrics, startedAt, finishedAt, error, Map.of(), 0);
  }

  /** This evaluation with {@code secondary} metrics and {@code stageFitsReused} shared fits. */
  public Evaluation with(Map<String, List<Double>> secondary, int stageFitsReused) {
    return new Evaluation(trialId, status, foldMetrics, startedAt, finishedAt, error, secondary, stageFitsReused);
  }

  /** A trial scored on every fold. */
  public static Evaluation complete(int trialId, List<Double> folds, Instant start, Instant end) {
    return new Evaluation(trialId, TrialStatus.COMPLETE, folds, start, end, null);
  }

  /** A trial stopped by the race after the folds it reached. */
  public static Evaluation pruned(int trialId, List<Double> reached, Instant start, Instant end) {
    return new Evaluation(trialId, TrialStatus.PRUNED, reached, start, end, null);
  }

  /** A trial that threw; the scores of the folds it finished are kept. */
  public static Evaluation failed(int trialId, List<Double> folds, String error, Instant start, Instant end) {
    return new Evaluation(trialId, TrialStatus.FAILED, folds, start, end, error);
  }
}
