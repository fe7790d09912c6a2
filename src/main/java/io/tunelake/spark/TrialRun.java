package io.tunelake.spark;

import io.tunelake.study.Evaluation;
import io.tunelake.study.Suggestion;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fold scores of one trial of a round as its fits finish, possibly on several threads. */
final class TrialRun {
  final Suggestion suggestion;
  private final String jobGroup;
  private final double[] scores;
  private final Map<String, double[]> secondary = new LinkedHashMap<>();
  private int stageFitsReused;
  private Instant start;
  private Instant end;
  private String error;
  private boolean pruned;
  /** The largest absolute raw score of its models on their validation folds; NaN while unseen. */
  private double rawScale = Double.NaN;

  TrialRun(Suggestion suggestion, int folds, String jobGroup) {
    this.suggestion = suggestion;
    this.jobGroup = jobGroup;
    this.scores = new double[folds];
    Arrays.fill(scores, Double.NaN);
  }

  int trialId() {
    return suggestion.trialId();
  }

  /** The Spark job group of this trial's own fits, which pruning cancels. */
  String group() {
    return jobGroup;
  }

  /** Whether the trial's remaining folds must not run: it failed or was pruned. */
  synchronized boolean stopped() {
    return error != null || pruned;
  }

  /** Records a fold's secondary metrics and how many stage fits it reused. */
  synchronized void secondary(int fold, Map<String, Double> metrics, int reused) {
    metrics.forEach((k, v) -> {
      double[] folds = secondary.computeIfAbsent(k, x -> {
        double[] a = new double[scores.length];
        Arrays.fill(a, Double.NaN);
        return a;
      });
      folds[fold] = v;
    });
    stageFitsReused += reused;
  }

  /** Records the raw-score scale of one fold's model (NaN when its scoring did not see it). */
  synchronized void rawScale(double scale) {
    if (!Double.isNaN(scale)) {
      rawScale = Double.isNaN(rawScale) ? scale : Math.max(rawScale, scale);
    }
  }

  synchronized double rawScale() {
    return rawScale;
  }

  synchronized void started(Instant t) {
    if (start == null || t.isBefore(start)) {
      start = t;
    }
  }

  /** Records a fold's score unless the trial stopped meanwhile; says whether it was recorded. */
  synchronized boolean scored(int fold, double score, Instant t) {
    if (stopped()) {
      return false;
    }
    scores[fold] = score;
    finished(t);
    return true;
  }

  synchronized void prune(Instant t) {
    pruned = true;
    finished(t);
  }

  synchronized int reached() {
    return reachedScores().size();
  }

  synchronized void fail(String message, Instant t) {
    if (error == null) {
      error = message;
    }
    finished(t);
  }

  private void finished(Instant t) {
    if (end == null || t.isAfter(end)) {
      end = t;
    }
  }

  synchronized Evaluation toEvaluation(Clock clock) {
    Instant s = start == null ? clock.instant() : start;
    Instant e = end == null ? s : end;
    List<Double> done = reachedScores();
    Evaluation out = error != null ? Evaluation.failed(suggestion.trialId(), done, error, s, e)
        : pruned ? Evaluation.pruned(suggestion.trialId(), done, s, e)
        : Evaluation.complete(suggestion.trialId(), done, s, e);
    // The secondary metrics of the folds whose score was recorded, in fold order.
    Map<String, List<Double>> reached = new LinkedHashMap<>();
    secondary.forEach((k, v) -> {
      List<Double> folds = new ArrayList<>();
      for (int i = 0; i < v.length; i++) {
        if (!Double.isNaN(scores[i])) {
          folds.add(v[i]);
        }
      }
      reached.put(k, folds);
    });
    return out.with(reached, stageFitsReused);
  }

  private List<Double> reachedScores() {
    List<Double> done = new ArrayList<>();
    for (double v : scores) {
      if (!Double.isNaN(v)) {
        done.add(v);
      }
    }
    return done;
  }
}
