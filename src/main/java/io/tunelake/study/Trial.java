package io.tunelake.study;

import io.tunelake.optimize.Observation;
import io.tunelake.optimize.TrialStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One finished trial of a study, as stored in the {@code trials} table: the assignment and who
 * proposed it ({@link io.tunelake.optimize.Proposal}; null when unknown, as in rows written
 * before it was recorded), how it ended, its fold scores and their summary, when it ran and why
 * it failed; its secondary metrics per fold and how many stage fits it reused (see
 * {@link Evaluation}; empty and 0 in rows written before they were recorded); and what looks
 * wrong with a completed trial's model ({@code warning}, null when nothing does; see
 * {@link Objective#warning}); and, in a population-based study, its {@link Member} (null
 * otherwise).
 */
public record Trial(
    String study,
    int trialId,
    int round,
    TrialStatus status,
    Map<String, Object> params,
    String proposer,
    String metric,
    List<Double> foldMetrics,
    FoldStats stats,
    double budget,
    long durationMs,
    Instant startedAt,
    Instant finishedAt,
    String error,
    Map<String, List<Double>> secondary,
    int stageFitsReused,
    String warning,
    Member member) {

  /** A trial without secondary metrics, shared fits or warning. */
  public Trial(String study, int trialId, int round, TrialStatus status, Map<String, Object> params, String proposer,
      String metric, List<Double> foldMetrics, FoldStats stats, double budget, long durationMs, Instant startedAt,
      Instant finishedAt, String error) {
    this(study, trialId, round, status, params, proposer, metric, foldMetrics, stats, budget, durationMs, startedAt,
        finishedAt, error, Map.of(), 0, null, null);
  }

  public Trial {
    Objects.requireNonNull(study, "study");
    Objects.requireNonNull(status, "status");
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    foldMetrics = List.copyOf(foldMetrics);
    Objects.requireNonNull(stats, "stats");
    Map<String, List<Double>> copy = new java.util.LinkedHashMap<>();
    secondary.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    secondary = java.util.Collections.unmodifiableMap(copy);
    if (trialId < 1) {
      throw new IllegalArgumentException("trial ids start at 1, but got " + trialId);
    }
  }

  /** The mean fold score (NaN for a failed trial). */
  public double value() {
    return stats.mean();
  }

  /**
   * The trial as its optimizer sees it, with its cost for a cost-aware one: the mean
   * {@code fit_seconds} of the folds it reached when the row records them (a cost-aware study
   * always does), so a trial pruned after one fold costs what one of its folds cost, not less;
   * else its {@code duration_ms}.
   */
  public Observation toObservation() {
    double v = status == TrialStatus.FAILED ? Double.NaN : stats.mean();
    double seconds = fitSecondsPerFold();
    if (!(seconds > 0)) {
      seconds = durationMs > 0 ? durationMs / 1000.0 : Double.NaN;
    }
    if (status == TrialStatus.COMPLETE && Double.isNaN(v)) {
      return new Observation(params, TrialStatus.FAILED, Double.NaN, budget, seconds);
    }
    return new Observation(params, status, v, budget, seconds);
  }

  /** The mean of the finite, positive {@code fit_seconds} of the folds; NaN when there are none. */
  private double fitSecondsPerFold() {
    return secondary.getOrDefault("fit_seconds", List.of()).stream().mapToDouble(Double::doubleValue)
        .filter(s -> s > 0 && Double.isFinite(s)).average().orElse(Double.NaN);
  }
}
