package io.tunelake.study;

import io.tunelake.optimize.TrialStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the objective reports for one suggestion: its fold scores (every fold when COMPLETE, the
 * folds reached when PRUNED or FAILED), and why it failed.
 */
public record Evaluation(
    int trialId,
    TrialStatus status,
    List<Double> foldMetrics,
    Instant startedAt,
    Instant finishedAt,
    String error) {

  public Evaluation {
    Objects.requireNonNull(status, "status");
    foldMetrics = List.copyOf(foldMetrics);
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
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
