package io.tunelake.spark;

import io.tunelake.study.Evaluation;
import io.tunelake.study.Suggestion;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The fold scores of one trial of a round as its fits finish, possibly on several threads. */
final class TrialRun {
  final Suggestion suggestion;
  private final String jobGroup;
  private final double[] scores;
  private Instant start;
  private Instant end;
  private String error;
  private boolean pruned;

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
    if (error != null) {
      return Evaluation.failed(suggestion.trialId(), done, error, s, e);
    }
    if (pruned) {
      return Evaluation.pruned(suggestion.trialId(), done, s, e);
    }
    return Evaluation.complete(suggestion.trialId(), done, s, e);
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
