package io.tunelake.optimize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Several objectives for a single-objective optimizer, by ParEGO's random scalarisations
 * (Knowles 2006): each round draws a weight vector uniformly from the simplex, normalises every
 * objective's losses to {@code [0, 1]} over the history, and hands the wrapped optimizer the
 * augmented Chebyshev scalarisation {@code max_k(w_k f_k) + 0.05 sum_k(w_k f_k)} as the one loss
 * to minimise. Successive rounds pull towards different parts of the front. An infeasible
 * trial's scalar is worse than every feasible one's. The weights come from the round's seed, so
 * the wrapper keeps no state either.
 */
final class ParEgoOptimizer implements Optimizer {
  private static final double RHO = 0.05;
  private static final long WEIGHT_STREAM = 0x9e3779b97f4a7c15L;
  private final Optimizer inner;
  private final OptimizerConfig config;

  ParEgoOptimizer(Optimizer inner, OptimizerConfig config) {
    this.inner = inner;
    this.config = config;
  }

  @Override
  public List<Proposal> ask(int n, List<Observation> history, List<Map<String, Object>> pending) {
    Random rng = Seeds.forRound(config.seed() ^ WEIGHT_STREAM, history.size(), pending.size());
    return inner.ask(n, scalarised(history, weights(config.objectives().size(), rng), config.objectives()), pending);
  }

  /** A weight vector drawn uniformly from the simplex (normalised exponential draws). */
  static double[] weights(int m, Random rng) {
    double[] w = new double[m];
    double sum = 0;
    for (int k = 0; k < m; k++) {
      w[k] = -Math.log(1 - rng.nextDouble());
      sum += w[k];
    }
    for (int k = 0; k < m; k++) {
      w[k] /= sum;
    }
    return w;
  }

  /** {@code history} with each trial's value replaced by its scalarised, normalised losses. */
  static List<Observation> scalarised(List<Observation> history, double[] w, List<Direction> directions) {
    int m = directions.size();
    double[] low = new double[m];
    double[] high = new double[m];
    java.util.Arrays.fill(low, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(high, Double.NEGATIVE_INFINITY);
    List<double[]> losses = new ArrayList<>(history.size());
    for (Observation o : history) {
      double[] l = o.hasValue() ? ParetoTrial.losses(o, directions) : null;
      losses.add(l);
      if (l != null) {
        for (int k = 0; k < m; k++) {
          low[k] = Math.min(low[k], l[k]);
          high[k] = Math.max(high[k], l[k]);
        }
      }
    }
    List<Observation> out = new ArrayList<>(history.size());
    for (int i = 0; i < history.size(); i++) {
      Observation o = history.get(i);
      double[] l = losses.get(i);
      if (l == null) {
        out.add(new Observation(o.params(), TrialStatus.FAILED, Double.NaN, o.budget(), o.seconds()));
        continue;
      }
      double max = Double.NEGATIVE_INFINITY;
      double sum = 0;
      for (int k = 0; k < m; k++) {
        double f = high[k] > low[k] ? (l[k] - low[k]) / (high[k] - low[k]) : 0;
        max = Math.max(max, w[k] * f);
        sum += w[k] * f;
      }
      // Feasible scalars lie in [0, 1 + RHO]: an infeasible one above that ranks after all of them.
      double scalar = max + RHO * sum + (o.feasible() ? 0 : 2 + RHO);
      out.add(new Observation(o.params(), o.status(), scalar, o.budget(), o.seconds()));
    }
    return out;
  }

  @Override
  public String name() {
    return inner.name();
  }
}
