package io.tunelake.optimize.motpe;

import io.tunelake.optimize.Batch;
import io.tunelake.optimize.Direction;
import io.tunelake.optimize.ModelBasedOptimizer;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Option;
import io.tunelake.optimize.Pareto;
import io.tunelake.optimize.ParetoTrial;
import io.tunelake.optimize.Startup;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.optimize.UnitDim;
import io.tunelake.optimize.tpe.ParzenEstimator;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Multi-objective TPE (Ozaki et al. 2020). After the scrambled Sobol design, the complete
 * feasible trials are split into a "good" set of {@code min(ceil(0.1 n), 25)} trials and the
 * rest: whole non-dominated fronts in rank order, and of the front that does not fit, the
 * members that add the most hypervolume, chosen greedily (the paper's hypervolume subset
 * selection). Objectives are normalised to {@code [0, 1]} over the history first, so no
 * objective's unit outweighs another. Each good trial's kernel weighs its share of the good
 * set's hypervolume (its exclusive contribution, floored so none vanishes); the rest weigh 1.
 * Failed, pruned and infeasible trials, pending trials and earlier members of the batch count
 * as "bad" (constant liar). Proposals maximise {@code log l - log g} over {@code ei_candidates}
 * draws from the good density, one kernel per parameter as in Optuna's MOTPE (option
 * {@code multivariate}: one per group of parameters with the same condition, as {@code tpe}
 * does by default). With one objective it is TPE with a rank split.
 */
final class MotpeOptimizer extends ModelBasedOptimizer {
  static final Option EI_CANDIDATES = Option.integer("ei_candidates", 1, Integer.MAX_VALUE, 24,
      "points drawn from the good density per proposal; the one with the largest l/g is proposed");
  static final Option PRIOR_WEIGHT = Option.real("prior_weight", 0, true, Double.MAX_VALUE, 1.0,
      "weight of the uniform prior component in each density");
  /** Off by default: one kernel per parameter found larger fronts on ZDT1, ZDT2 and DTLZ2 (docs/BENCHMARKS.md). */
  static final Option MULTIVARIATE = ParzenEstimator.multivariate(false);
  static final List<Option> OPTIONS = List.of(Startup.TRIALS, EI_CANDIDATES, PRIOR_WEIGHT, MULTIVARIATE);
  private static final int MAX_RETRIES = 16;
  private static final double MIN_WEIGHT = 1e-3;
  private final SearchSpace space;
  private final List<Direction> directions;
  private final int candidates;
  private final double priorWeight;
  private final List<List<UnitDim>> groups;

  MotpeOptimizer(OptimizerConfig config) {
    super("motpe", config, 1);
    this.space = config.space();
    this.directions = config.objectives();
    this.candidates = config.intValue(EI_CANDIDATES);
    this.priorWeight = config.realValue(PRIOR_WEIGHT);
    this.groups = ParzenEstimator.groups(space, config.flag(MULTIVARIATE));
  }

  /** A point with its kernel's weight. */
  private record Weighted(double[] x, double weight, int order) {}

  @Override
  protected void fill(Batch batch, List<Observation> history, List<Map<String, Object>> pending) {
    List<ParetoTrial> feasible = new ArrayList<>();
    for (ParetoTrial t : ParetoTrial.of(space, directions, history)) {
      if (t.feasible()) {
        feasible.add(t);
      }
    }
    double[][] losses = normalised(ParetoTrial.lossMatrix(feasible));
    int[] good = goodSet(losses, Math.min((int) Math.ceil(0.1 * feasible.size()), 25));
    double[] weights = contributions(losses, good);
    List<Weighted> below = new ArrayList<>();
    boolean[] isGood = new boolean[feasible.size()];
    for (int i = 0; i < good.length; i++) {
      isGood[good[i]] = true;
      below.add(new Weighted(feasible.get(good[i]).x(), weights[i], feasible.get(good[i]).order()));
    }
    List<Weighted> above = new ArrayList<>();
    for (int i = 0; i < feasible.size(); i++) {
      if (!isGood[i]) {
        above.add(new Weighted(feasible.get(i).x(), 1, feasible.get(i).order()));
      }
    }
    int order = 0;
    for (Observation o : history) {
      if (ParetoTrial.losses(o, directions) == null || !o.feasible() || !o.hasValue()
          || o.status() != TrialStatus.COMPLETE) {
        liar(above, o.params(), order);
      }
      order++;
    }
    for (Map<String, Object> p : pending) {
      liar(above, p, order++);
    }
    for (Map<String, Object> p : batch.assignments()) {
      liar(above, p, order++);
    }
    while (!batch.isFull()) {
      Map<String, Object> proposal =
          batch.addUnseen(() -> space.fromUnit(sample(below, above, batch.rng())), MAX_RETRIES);
      liar(above, proposal, order++);
    }
  }

  private void liar(List<Weighted> above, Map<String, Object> params, int order) {
    try {
      above.add(new Weighted(space.toUnit(params), 1, order));
    } catch (IllegalArgumentException | ClassCastException e) {
      // A warm-start trial from another space: no place in this cube.
    }
  }

  /** Each objective rescaled to [0, 1] over the rows (a constant objective becomes 0). */
  static double[][] normalised(double[][] losses) {
    if (losses.length == 0) {
      return losses;
    }
    int m = losses[0].length;
    double[][] out = new double[losses.length][m];
    for (int k = 0; k < m; k++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double[] l : losses) {
        lo = Math.min(lo, l[k]);
        hi = Math.max(hi, l[k]);
      }
      for (int i = 0; i < losses.length; i++) {
        out[i][k] = hi > lo ? (losses[i][k] - lo) / (hi - lo) : 0;
      }
    }
    return out;
  }

  /**
   * The {@code size} best rows: whole fronts in rank order, then the members of the next front
   * that add the most hypervolume to what is already chosen, one at a time.
   */
  static int[] goodSet(double[][] losses, int size) {
    List<Integer> chosen = new ArrayList<>();
    for (int[] front : Pareto.fronts(losses)) {
      if (chosen.size() + front.length <= size) {
        Arrays.stream(front).forEach(chosen::add);
        continue;
      }
      List<Integer> left = new ArrayList<>();
      Arrays.stream(front).forEach(left::add);
      double[] reference = reference(losses[0].length);
      while (chosen.size() < size) {
        double base = Pareto.hypervolume(rows(losses, chosen), reference);
        int best = -1;
        double bestGain = Double.NEGATIVE_INFINITY;
        for (int i : left) {
          List<Integer> with = new ArrayList<>(chosen);
          with.add(i);
          double gain = Pareto.hypervolume(rows(losses, with), reference) - base;
          if (gain > bestGain) {
            best = i;
            bestGain = gain;
          }
        }
        chosen.add(best);
        left.remove(Integer.valueOf(best));
      }
      break;
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Kernel weights of the good rows: each one's exclusive share of their hypervolume, scaled so
   * the largest is 1 and floored at {@value #MIN_WEIGHT}; all 1 when none adds any.
   */
  static double[] contributions(double[][] losses, int[] good) {
    double[] w = new double[good.length];
    if (good.length == 0) {
      return w;
    }
    double[] reference = reference(losses[0].length);
    List<Integer> all = new ArrayList<>();
    Arrays.stream(good).forEach(all::add);
    double total = Pareto.hypervolume(rows(losses, all), reference);
    double max = 0;
    for (int i = 0; i < good.length; i++) {
      List<Integer> without = new ArrayList<>(all);
      without.remove(i);
      w[i] = total - Pareto.hypervolume(rows(losses, without), reference);
      max = Math.max(max, w[i]);
    }
    for (int i = 0; i < good.length; i++) {
      w[i] = max > 0 ? Math.max(MIN_WEIGHT, w[i] / max) : 1;
    }
    return w;
  }

  /** Just beyond the worst normalised loss, so the extremes of a front still add volume. */
  private static double[] reference(int m) {
    double[] r = new double[m];
    Arrays.fill(r, 1.1);
    return r;
  }

  private static double[][] rows(double[][] losses, List<Integer> indices) {
    double[][] out = new double[indices.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = losses[indices.get(i)];
    }
    return out;
  }

  private double[] sample(List<Weighted> below, List<Weighted> above, Random rng) {
    return ParzenEstimator.sample(space.dimension(), groups, g -> estimator(g, below), g -> estimator(g, above),
        candidates, rng);
  }

  private ParzenEstimator estimator(List<UnitDim> group, List<Weighted> points) {
    return ParzenEstimator.over(group, points, Weighted::x, Weighted::order,
        active -> active.stream().mapToDouble(Weighted::weight).toArray(), priorWeight);
  }
}
