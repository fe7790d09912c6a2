package io.tunelake.study;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.TrialStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 * confidence and σ⁺ an upper confidence bound on the noise of one fold score once the fold's
 * difficulty, shared by every trial on that fold, is taken out: the residual standard deviation
 * of an additive model (trial effect + fold effect) fitted to the trials at that budget with two
 * or more folds. Until that has degrees of freedom, and whenever it is smaller, the bound is the
 * pooled fold-to-fold standard deviation of one trial's scores, which includes the folds'
 * difficulty and so bounds the residual noise too. Each is a chi-squared bound at 97.5 %, so
 * the smaller holds with 95 %. No trial is pruned before some trial has two folds.
 */
public final class FoldRace {
  // Two upper bounds, the smaller used: 97.5 % each keeps 95 % for both together (Bonferroni).
  private static final double SIGMA_BOUND_CONFIDENCE = 0.975;

  /** Whether trials are raced and how sure the rule must be that a pruned trial is worse. */
  public record Rule(boolean enabled, double confidence) {
    /** No pruning: every trial runs every fold. */
    public static final Rule OFF = new Rule(false, 0.99);

    public Rule {
      if (!(confidence > 0.5 && confidence < 1)) {
        throw new IllegalArgumentException("pruning confidence must be in (0.5, 1), but got " + confidence);
      }
    }

    /**
     * The normal quantile for a lead over the best of {@code rivals} trials: the leader is the
     * largest of that many noisy means, so the error allowed is split among them (Bonferroni).
     */
    double z(int rivals) {
      return new NormalDistribution().inverseCumulativeProbability(1 - (1 - confidence) / Math.max(1, rivals));
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
    Map<Double, Double> noise = new HashMap<>();
    for (Entrant c : running.values()) {
      if (c.pruned || c.failed || c.reached() == 0 || c.reached() == folds) {
        continue;
      }
      double sigma = noise.computeIfAbsent(c.budget, this::noiseUpperBound);
      Lead lead = lead(c);
      if (lead.gap() > rule.z(lead.rivals()) * sigma * Math.sqrt(2.0 / c.reached())) {
        c.pruned = true;
        out.add(c.trialId);
      }
    }
    return out;
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

  /** How far the best of {@code rivals} trials leads a trial on its folds; a NaN gap if none. */
  private record Lead(double gap, int rivals) {}

  /** The lead of the best other trial at the same budget over {@code c} on the folds {@code c} reached. */
  private Lead lead(Entrant c) {
    double own = c.meanOn(c);
    double best = Double.NaN;
    int rivals = 0;
    for (Entrant o : competitors()) {
      if (o == c || o.failed || o.budget != c.budget || !o.covers(c)) {
        continue;
      }
      rivals++;
      double m = o.meanOn(c);
      if (Double.isNaN(best) || direction.isBetter(m, best)) {
        best = m;
      }
    }
    double gap = Double.isNaN(best) ? Double.NaN : direction == Direction.MAXIMIZE ? best - own : own - best;
    return new Lead(gap, rivals);
  }

  /**
   * An upper confidence bound on the noise of one fold score at {@code budget}: the smaller of
   * the additive model's residual bound and the pooled within-trial bound; NaN until some trial
   * at that budget has 2 folds.
   */
  private double noiseUpperBound(double budget) {
    List<Entrant> scored = new ArrayList<>();
    for (Entrant e : competitors()) {
      if (!e.failed && e.budget == budget && e.reached() >= 2) {
        scored.add(e);
      }
    }
    double within = pooledWithinTrialUpperBound(scored);
    double residual = residualUpperBound(scored);
    return Double.isNaN(residual) ? within : Math.min(within, residual);
  }

  /** The fold-to-fold standard deviation of one trial's scores, pooled; an upper bound. */
  private static double pooledWithinTrialUpperBound(List<Entrant> scored) {
    double squares = 0;
    int df = 0;
    for (Entrant e : scored) {
      double mean = e.meanOn(e);
      for (double s : e.scores) {
        if (!Double.isNaN(s)) {
          squares += (s - mean) * (s - mean);
        }
      }
      df += e.reached() - 1;
    }
    return upperBound(squares, df);
  }

  /**
   * The residual standard deviation of {@code score = trial effect + fold effect + noise} over
   * the scored trials (least squares by alternating means, which converges for this two-way
   * layout with missing cells); an upper bound. Degrees of freedom: scores − trials − folds +
   * connected groups of trials and folds.
   */
  private double residualUpperBound(List<Entrant> scored) {
    int n = scored.size();
    double[] trialEffect = new double[n];
    double[] foldEffect = new double[folds];
    for (int iteration = 0; iteration < 200; iteration++) {
      double change = 0;
      for (int t = 0; t < n; t++) {
        double sum = 0;
        int count = 0;
        for (int f = 0; f < folds; f++) {
          double x = scored.get(t).scores[f];
          if (!Double.isNaN(x)) {
            sum += x - foldEffect[f];
            count++;
          }
        }
        change = Math.max(change, Math.abs(sum / count - trialEffect[t]));
        trialEffect[t] = sum / count;
      }
      for (int f = 0; f < folds; f++) {
        double sum = 0;
        int count = 0;
        for (int t = 0; t < n; t++) {
          double x = scored.get(t).scores[f];
          if (!Double.isNaN(x)) {
            sum += x - trialEffect[t];
            count++;
          }
        }
        double effect = count == 0 ? 0 : sum / count;
        change = Math.max(change, Math.abs(effect - foldEffect[f]));
        foldEffect[f] = effect;
      }
      if (change < 1e-13) {
        break;
      }
    }
    double squares = 0;
    int observed = 0;
    // Union-find over trials (0..n-1) and folds (n..n+folds-1) joined by their scores.
    int[] parent = new int[n + folds];
    Arrays.setAll(parent, i -> i);
    boolean[] foldUsed = new boolean[folds];
    for (int t = 0; t < n; t++) {
      for (int f = 0; f < folds; f++) {
        double x = scored.get(t).scores[f];
        if (!Double.isNaN(x)) {
          double r = x - trialEffect[t] - foldEffect[f];
          squares += r * r;
          observed++;
          foldUsed[f] = true;
          parent[root(parent, t)] = root(parent, n + f);
        }
      }
    }
    int groups = 0;
    int usedFolds = 0;
    for (int i = 0; i < n + folds; i++) {
      boolean used = i < n || foldUsed[i - n];
      usedFolds += i >= n && used ? 1 : 0;
      groups += used && root(parent, i) == i ? 1 : 0;
    }
    return upperBound(squares, observed - n - usedFolds + groups);
  }

  private static int root(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** {@code √(squares / χ²_(1−confidence), df)}: an upper confidence bound on σ; NaN without df. */
  private static double upperBound(double squares, int df) {
    if (df < 1) {
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
