package io.tunelake.study;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Pareto;
import io.tunelake.optimize.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a study optimises and how it picks the trial to refit: its objectives (metric and
 * direction; the first is the study's metric, stored in {@code fold_metrics}, the others among
 * the secondary metrics), the constraints a trial must keep to be feasible, and the selection
 * rule. The trial picked is, in order: the best feasible trial by the rule's metric among those
 * within the rule's bounds ({@code select}); else, with several objectives, the knee of the
 * Pareto front; else the feasible trial with the best metric. An infeasible trial is never
 * picked, and never on the front.
 */
public record ParetoGoals(List<Goal> objectives, List<Bound> constraints, Select select) {

  /** A bound on a metric's mean: {@code min <= mean <= max}, either side null when open. */
  public record Bound(String metric, Double min, Double max) {
    public Bound {
      Objects.requireNonNull(metric, "metric");
    }

    /** Whether {@code mean} keeps the bound; NaN never does. */
    public boolean holds(double mean) {
      return !Double.isNaN(mean) && (min == null || mean >= min) && (max == null || mean <= max);
    }

    @Override
    public String toString() {
      return metric + (min != null ? " >= " + plain(min) : "") + (min != null && max != null ? " and" : "")
          + (max != null ? " <= " + plain(max) : "");
    }

    /** A bound as a spec writes it: {@code 60}, not {@code 60.0}. */
    private static String plain(double v) {
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
  }

  /** {@code select: {maximize|minimize: metric, subject_to: {metric: {min, max}}}}. */
  public record Select(String metric, boolean maximize, List<Bound> subjectTo) {
    public Select {
      Objects.requireNonNull(metric, "metric");
      subjectTo = List.copyOf(subjectTo);
    }
  }

  /** One objective: a metric and whether larger is better. */
  public record Goal(String metric, Direction direction) {
    public Goal {
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(direction, "direction");
    }
  }

  public ParetoGoals {
    objectives = List.copyOf(objectives);
    constraints = List.copyOf(constraints);
    if (objectives.isEmpty()) {
      throw new IllegalArgumentException("a study needs at least one objective");
    }
  }

  /** A study of {@code metric} alone. */
  public static ParetoGoals single(String metric, Direction direction) {
    return new ParetoGoals(List.of(new Goal(metric, direction)), List.of(), null);
  }

  /** Whether there is more than one objective. */
  public boolean isMulti() {
    return objectives.size() > 1;
  }

  /** The objectives' directions, in order, for the optimizer. */
  public List<Direction> directions() {
    return objectives.stream().map(Goal::direction).toList();
  }

  /** The mean of {@code metric} over the folds {@code t} reached: its metric or a secondary one; NaN when absent. */
  public static double mean(Trial t, String metric) {
    if (metric.equals(t.metric())) {
      return t.value();
    }
    List<Double> folds = t.secondary().get(metric);
    return folds == null || folds.isEmpty() ? Double.NaN
        : folds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Whether {@code t} keeps every constraint. */
  public boolean feasible(Trial t) {
    return constraints.stream().allMatch(b -> b.holds(mean(t, b.metric())));
  }

  /** The trial as the optimizer sees it: with each objective's mean and its feasibility when there is more than its metric. */
  public Observation observe(Trial t) {
    Observation o = t.toObservation();
    if (!isMulti() && constraints.isEmpty()) {
      return o;
    }
    List<Double> means = objectives.stream().map(g -> mean(t, g.metric())).toList();
    return o.withObjectives(isMulti() ? means : List.of(), feasible(t));
  }

  /** Losses of {@code t} (smaller is better in every objective); null when one is missing. */
  double[] losses(Trial t) {
    double[] out = new double[objectives.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = objectives.get(k).direction().toLoss(mean(t, objectives.get(k).metric()));
      if (!Double.isFinite(out[k])) {
        return null;
      }
    }
    return out;
  }

  /** The complete, feasible trials at the highest budget any complete trial reached, with every objective measured. */
  private List<Trial> candidates(List<Trial> trials) {
    double top = 0;
    for (Trial t : trials) {
      if (t.status() == TrialStatus.COMPLETE && !Double.isNaN(t.value())) {
        top = Math.max(top, t.budget());
      }
    }
    List<Trial> out = new ArrayList<>();
    for (Trial t : trials) {
      if (t.status() == TrialStatus.COMPLETE && t.budget() == top && feasible(t) && losses(t) != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** The Pareto front of {@code trials}: the feasible complete trials no other such trial dominates, by trial id. */
  public List<Trial> front(List<Trial> trials) {
    List<Trial> c = candidates(trials);
    double[][] losses = new double[c.size()][];
    for (int i = 0; i < losses.length; i++) {
      losses[i] = losses(c.get(i));
    }
    List<Trial> out = new ArrayList<>();
    List<int[]> fronts = Pareto.fronts(losses);
    if (!fronts.isEmpty()) {
      for (int i : fronts.get(0)) {
        out.add(c.get(i));
      }
    }
    return out;
  }

  /** The hypervolume of the front of {@code trials}, objectives scaled by {@code scale} (see {@link #scale}). */
  public double hypervolume(List<Trial> trials, double[][] scale) {
    List<double[]> points = new ArrayList<>();
    for (Trial t : front(trials)) {
      points.add(scaled(losses(t), scale));
    }
    double[] reference = new double[objectives.size()];
    java.util.Arrays.fill(reference, 1.1);
    return Pareto.hypervolume(points.toArray(new double[0][]), reference);
  }

  /** Per objective, the lowest and highest loss among the candidate trials of {@code trials}: {low[], high[]}. */
  public double[][] scale(List<Trial> trials) {
    int m = objectives.size();
    double[] low = new double[m];
    double[] high = new double[m];
    java.util.Arrays.fill(low, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(high, Double.NEGATIVE_INFINITY);
    for (Trial t : candidates(trials)) {
      double[] l = losses(t);
      for (int k = 0; k < m; k++) {
        low[k] = Math.min(low[k], l[k]);
        high[k] = Math.max(high[k], l[k]);
      }
    }
    return new double[][] {low, high};
  }

  private static double[] scaled(double[] losses, double[][] scale) {
    double[] out = new double[losses.length];
    for (int k = 0; k < out.length; k++) {
      double range = scale[1][k] - scale[0][k];
      out[k] = range > 0 ? (losses[k] - scale[0][k]) / range : 0;
    }
    return out;
  }

  /** The trial to report and refit, by the rule this class describes; empty when no trial qualifies. */
  public Optional<Trial> best(List<Trial> trials) {
    if (select != null) {
      Direction d = select.maximize() ? Direction.MAXIMIZE : Direction.MINIMIZE;
      Trial best = null;
      for (Trial t : candidates(trials)) {
        double v = mean(t, select.metric());
        if (select.subjectTo().stream().allMatch(b -> b.holds(mean(t, b.metric())))
            && !Double.isNaN(v) && (best == null || d.isBetter(v, mean(best, select.metric())))) {
          best = t;
        }
      }
      return Optional.ofNullable(best);
    }
    if (isMulti()) {
      return knee(trials);
    }
    Direction d = objectives.get(0).direction();
    Trial best = null;
    for (Trial t : candidates(trials)) {
      if (best == null || d.isBetter(t.value(), best.value())) {
        best = t;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The knee of the front: with every objective scaled to [0, 1] over the front (0 its best
   * value there), the member nearest the ideal point where every objective is at its best; ties
   * to the earlier trial.
   */
  Optional<Trial> knee(List<Trial> trials) {
    List<Trial> front = front(trials);
    double[][] scale = scale(front);
    Trial best = null;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (Trial t : front) {
      double[] s = scaled(losses(t), scale);
      double d = 0;
      for (double v : s) {
        d += v * v;
      }
      if (d < bestDistance) {
        best = t;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Why {@code picked} is the trial to refit, in one sentence for the summary and the log. */
  public String why(Trial picked, List<Trial> trials) {
    if (select != null) {
      return String.format(Locale.ROOT, "trial %d: the best %s (%s) of the feasible trials%s", picked.trialId(),
          select.metric(), Format.number(mean(picked, select.metric())), select.subjectTo().isEmpty() ? ""
              : " with " + String.join(" and ", select.subjectTo().stream().map(Object::toString).toList()));
    }
    if (!isMulti()) {
      return "trial " + picked.trialId() + ": the best " + objectives.get(0).metric()
          + (constraints.isEmpty() ? "" : " of the feasible trials");
    }
    List<Trial> front = front(trials);
    List<String> parts = new ArrayList<>();
    for (Goal g : objectives) {
      double best = front.stream().mapToDouble(t -> g.direction().toLoss(mean(t, g.metric()))).min().orElse(Double.NaN);
      parts.add(g.metric() + " " + Format.number(mean(picked, g.metric())) + " (best on the front "
          + Format.number(g.direction() == Direction.MAXIMIZE ? -best : best) + ")");
    }
    return String.format(Locale.ROOT, "trial %d, the knee of the front of %d: nearest the ideal point with each "
        + "objective scaled to [0, 1] over the front; %s", picked.trialId(), front.size(), String.join(", ", parts));
  }
}
