package io.tunelake.study;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.TrialStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Racing over folds: the fold scores of a round's trials as they arrive, and the rule that stops
 * a trial that can no longer plausibly beat the best one.
 *
 * <p>A running trial that has reached the folds F is compared with every other trial scored on
 * all of F at the same budget (the study's finished trials and the round's other trials): like
 * with like, the same rows in the same folds. It is pruned when the best of them leads it on F
 * by more than {@code z · σ⁺ · √(2/|F|)}, where z is the normal quantile of the rule's
 * confidence and σ⁺ an upper confidence bound (chi-squared, 95 %) on the fold-to-fold standard
 * deviation of one trial's scores, pooled over every trial at that budget with two or more folds. σ includes the
 * folds' differing difficulty, which a paired comparison cancels, so the rule errs towards
 * keeping a trial; the upper bound on σ keeps it cautious while few folds have been seen, and
 * no trial is pruned before some trial has two folds.
 */
public final class FoldRace {
  private static final double SIGMA_BOUND_CONFIDENCE = 0.95;

  /** Whether trials are raced and how sure the rule must be that a pruned trial is worse. */
  public record Rule(boolean enabled, double confidence) {
    /** No pruning: every trial runs every fold. */
    public static final Rule OFF = new Rule(false, 0.99);

    public Rule {
      if (!(confidence > 0.5 && confidence < 1)) {
        throw new IllegalArgumentException("pruning confidence must be in (0.5, 1), but got " + confidence);
      }
    }

    double z() {
      return new NormalDistribution().inverseCumulativeProbability(confidence);
    }
  }

  private final Rule rule;
  private final Direction direction;
  private final int folds;
  private final List<Entrant> finished = new ArrayList<>();
  private final Map<Integer, Entrant> running = new LinkedHashMap<>();

  private FoldRace(Rule rule, Direction direction, int folds, List<Trial> history) {
    this.rule = Objects.requireNonNull(rule, "rule");
    this.direction = Objects.requireNonNull(direction, "direction");
    if (folds < 1) {
      throw new IllegalArgumentException("folds must be >= 1, but got " + folds);
    }
    this.folds = folds;
    for (Trial t : history) {
      if (t.status() != TrialStatus.FAILED && t.foldMetrics().size() == folds) {
        Entrant e = new Entrant(t.trialId(), t.budget(), folds);
        for (int i = 0; i < folds; i++) {
          e.scores[i] = t.foldMetrics().get(i);
        }
        finished.add(e);
      }
    }
  }

  /** A race over {@code folds} folds against the study's finished trials. */
  public static FoldRace start(Rule rule, Direction direction, int folds, List<Trial> history) {
    return new FoldRace(rule, direction, folds, history);
  }

  /** A race that never prunes. */
  public static FoldRace off(int folds) {
    return new FoldRace(Rule.OFF, Direction.MAXIMIZE, folds, List.of());
  }

  /** Enters a trial of the round, evaluated at {@code budget}. */
  public synchronized void enter(int trialId, double budget) {
    running.put(trialId, new Entrant(trialId, budget, folds));
  }

  /**
   * Records a trial's score on a fold and returns the running trials that can no longer win,
   * each returned once; they count as pruned from now on.
   */
  public synchronized Set<Integer> record(int trialId, int fold, double score) {
    Entrant e = entrant(trialId);
    if (e.pruned || e.failed) {
      return Set.of();
    }
    e.scores[fold] = score;
    Set<Integer> out = new LinkedHashSet<>();
    if (!rule.enabled()) {
      return out;
    }
    double z = rule.z();
    for (Entrant c : running.values()) {
      if (c.pruned || c.failed || c.reached() == 0 || c.reached() == folds) {
        continue;
      }
      double sigma = pooledSigmaUpperBound(c.budget);
      double gap = leaderGap(c);
      if (gap > z * sigma * Math.sqrt(2.0 / c.reached())) {
        c.pruned = true;
        out.add(c.trialId);
      }
    }
    return out;
  }

  /** Whether this race can prune at all: racing is on and there is more than one fold. */
  public boolean prunes() {
    return rule.enabled() && folds > 1;
  }

  /**
   * Whether a trial at {@code budget} can be pruned after its first fold: racing is on and some
   * trial at that budget (finished, or of this round) has two folds scored, so the fold-to-fold
   * spread is known. Until then a first fold alone decides nothing.
   */
  public synchronized boolean decidesAfterOneFold(double budget) {
    return rule.enabled() && !Double.isNaN(pooledSigmaUpperBound(budget));
  }

  /** Takes a trial that failed out of the race. */
  public synchronized void fail(int trialId) {
    entrant(trialId).failed = true;
  }

  /** Whether the trial was pruned; its remaining folds must not run. */
  public synchronized boolean isPruned(int trialId) {
    return entrant(trialId).pruned;
  }

  private Entrant entrant(int trialId) {
    Entrant e = running.get(trialId);
    if (e == null) {
      throw new IllegalArgumentException("trial " + trialId + " was not entered in the race");
    }
    return e;
  }

  /** How far the best other trial at the same budget leads {@code c} on the folds {@code c} reached; NaN if none. */
  private double leaderGap(Entrant c) {
    double own = c.meanOn(c);
    double best = Double.NaN;
    for (Entrant o : competitors()) {
      if (o == c || o.failed || o.budget != c.budget || !o.covers(c)) {
        continue;
      }
      double m = o.meanOn(c);
      if (Double.isNaN(best) || direction.isBetter(m, best)) {
        best = m;
      }
    }
    if (Double.isNaN(best)) {
      return Double.NaN;
    }
    return direction == Direction.MAXIMIZE ? best - own : own - best;
  }

  /**
   * An upper confidence bound on one trial's fold-to-fold standard deviation at {@code budget};
   * NaN until some trial at that budget has 2 folds.
   */
  private double pooledSigmaUpperBound(double budget) {
    double squares = 0;
    int df = 0;
    for (Entrant e : competitors()) {
      if (e.failed || e.budget != budget || e.reached() < 2) {
        continue;
      }
      double mean = e.meanOn(e);
      for (double s : e.scores) {
        if (!Double.isNaN(s)) {
          squares += (s - mean) * (s - mean);
        }
      }
      df += e.reached() - 1;
    }
    if (df == 0) {
      return Double.NaN;
    }
    double chi = new ChiSquaredDistribution(df).inverseCumulativeProbability(1 - SIGMA_BOUND_CONFIDENCE);
    return Math.sqrt(squares / chi);
  }

  private List<Entrant> competitors() {
    List<Entrant> all = new ArrayList<>(finished);
    all.addAll(running.values());
    return all;
  }

  /** One trial's fold scores, NaN where a fold has not been scored. */
  private static final class Entrant {
    final int trialId;
    final double budget;
    final double[] scores;
    boolean pruned;
    boolean failed;

    Entrant(int trialId, double budget, int folds) {
      this.trialId = trialId;
      this.budget = budget;
      this.scores = new double[folds];
      Arrays.fill(scores, Double.NaN);
    }

    int reached() {
      int n = 0;
      for (double s : scores) {
        n += Double.isNaN(s) ? 0 : 1;
      }
      return n;
    }

    /** Whether this trial has a score on every fold {@code other} reached. */
    boolean covers(Entrant other) {
      for (int i = 0; i < scores.length; i++) {
        if (!Double.isNaN(other.scores[i]) && Double.isNaN(scores[i])) {
          return false;
        }
      }
      return true;
    }

    /** This trial's mean over the folds {@code on} reached. */
    double meanOn(Entrant on) {
      double sum = 0;
      int n = 0;
      for (int i = 0; i < scores.length; i++) {
        if (!Double.isNaN(on.scores[i])) {
          sum += scores[i];
          n++;
        }
      }
      return sum / n;
    }
  }
}
