package io.tunelake.study;

import io.tunelake.optimize.TrialStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What the objective reports for one suggestion: its fold scores, or why it failed. */
public record Evaluation(
    int trialId,
    TrialStatus status,
    List<Double> foldMetrics,
    double budget,
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
    return new Evaluation(trialId, TrialStatus.COMPLETE, folds, 1.0, start, end, null);
  }

  /** A trial that threw; the scores of the folds it finished are kept. */
  public static Evaluation failed(int trialId, List<Double> folds, String error, Instant start, Instant end) {
    return new Evaluation(trialId, TrialStatus.FAILED, folds, 1.0, start, end, error);
  }
}
