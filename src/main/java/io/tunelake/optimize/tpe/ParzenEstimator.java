package io.tunelake.optimize.tpe;

import io.tunelake.optimize.Option;
import io.tunelake.optimize.UnitDim;
import io.tunelake.space.Condition;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.util.FastMath;

/**
 * A weighted mixture density over a group of unit-cube coordinates: one component per
 * observation plus a prior component (Bergstra et al. 2011, section 4). Each component is a
 * product over the coordinates of a Gaussian truncated to {@code [0, 1]} (continuous and integer
 * coordinates; log ranges are already logarithmic in the unit cube) or of a categorical kernel
 * that puts most of its mass on the observed choice.
 *
 * <p>Bandwidths: with one coordinate, each component's is the larger distance to its sorted
 * neighbours, clipped to {@code [1 / min(100, n + 1), 1]} (the "magic clip" of Bergstra et al.
 * 2013); with several, Scott's rule {@code 0.2 * n^(-1 / (d + 4))} shared by all components (as
 * in Falkner et al. 2018). Integer coordinates never get a bandwidth under one integer's slice,
 * so neighbouring values stay reachable. The categorical kernel keeps {@code 1 / (1 + sqrt n)}
 * of its mass spread uniformly. The prior is a wide Gaussian at the centre ({@code sigma = 1})
 * or the uniform distribution over the choices, with weight {@code priorWeight}.
 */
public final class ParzenEstimator {
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
  private static final double SQRT2 = Math.sqrt(2);
  private final List<UnitDim> dims;
  private final int components;
  private final double[] weights;
  private final double[] logWeights;
  private final double[][] mu;
  private final double[][] sigma;
  private final double[][] logNorm;
  private final double[][][] logProb;

  /**
   * A density fitted to {@code points} (one row per observation, one column per coordinate of
   * {@code dims}, no NaN) with the observations' {@code weights}.
   */
  public ParzenEstimator(List<UnitDim> dims, double[][] points, double[] weights, double priorWeight) {
    if (points.length != weights.length) {
      throw new IllegalArgumentException(
          "every point needs a weight, but got " + points.length + " points and " + weights.length + " weights");
    }
    if (!(priorWeight > 0) && points.length == 0) {
      throw new IllegalArgumentException("a density without observations needs priorWeight > 0, but got " + priorWeight);
    }
    this.dims = List.copyOf(dims);
    int n = points.length;
    int d = dims.size();
    this.components = n + 1;
    this.weights = new double[components];
    double total = priorWeight;
    for (int i = 0; i < n; i++) {
      if (!(weights[i] >= 0)) {
        throw new IllegalArgumentException("weights must be >= 0, but got " + weights[i] + " at " + i);
      }
      total += weights[i];
    }
    for (int i = 0; i < n; i++) {
      this.weights[i] = weights[i] / total;
    }
    this.weights[n] = priorWeight / total;
    this.logWeights = new double[components];
    for (int k = 0; k < components; k++) {
      logWeights[k] = Math.log(this.weights[k]);
    }
    this.mu = new double[components][d];
    this.sigma = new double[components][d];
    this.logNorm = new double[components][d];
    this.logProb = new double[components][d][];
    double minBandwidth = 1.0 / Math.min(100, n + 1);
    double scott = Math.max(0.01, Math.min(1.0, 0.2 * Math.pow(Math.max(n, 1), -1.0 / (d + 4))));
    double catSpread = 1.0 / (1.0 + Math.sqrt(n));
    for (int j = 0; j < d; j++) {
      UnitDim dim = dims.get(j);
      if (dim.kind() == UnitDim.Kind.CATEGORICAL) {
        int c = dim.cardinality();
        for (int k = 0; k < components; k++) {
          double[] p = new double[c];
          if (k == n) {
            Arrays.fill(p, Math.log(1.0 / c));
          } else {
            int chosen = dim.category(points[k][j]);
            for (int v = 0; v < c; v++) {
              p[v] = Math.log((v == chosen ? 1 - catSpread : 0) + catSpread / c);
            }
          }
          logProb[k][j] = p;
        }
        continue;
      }
      double[] s = d == 1 ? neighbourBandwidths(points, j, minBandwidth) : null;
      double floor = dim.kind() == UnitDim.Kind.INTEGER ? 1.0 / dim.cardinality() : 0;
      for (int k = 0; k < components; k++) {
        boolean prior = k == n;
        double m = prior ? 0.5 : points[k][j];
        double sg = prior ? 1.0 : Math.max(floor, s == null ? scott : s[k]);
        mu[k][j] = m;
        sigma[k][j] = sg;
        logNorm[k][j] = Math.log(sg) + LOG_SQRT_2PI + Math.log(mass(m, sg));
      }
    }
  }

  private static double[] neighbourBandwidths(double[][] points, int j, double minBandwidth) {
    int n = points.length;
    // Sort the observations together with the prior's centre, as Bergstra et al. 2013 do.
    double[] sorted = new double[n + 1];
    Integer[] order = new Integer[n + 1];
    for (int k = 0; k <= n; k++) {
      sorted[k] = k == n ? 0.5 : points[k][j];
      order[k] = k;
    }
    Arrays.sort(order, (a, b) -> Double.compare(sorted[a], sorted[b]));
    double[] s = new double[n + 1];
    for (int r = 0; r <= n; r++) {
      double here = sorted[order[r]];
      double left = r == 0 ? here : here - sorted[order[r - 1]];
      double right = r == n ? 1 - here : sorted[order[r + 1]] - here;
      s[order[r]] = Math.max(minBandwidth, Math.min(1.0, Math.max(left, right)));
    }
    return s;
  }

  /** Mass of N(m, s) inside [0, 1]; m is in [0, 1], so the interval holds the mode. */
  private static double mass(double m, double s) {
    double a = -m / (s * SQRT2);
    double b = (1 - m) / (s * SQRT2);
    return 0.5 * (Erf.erf(b) - Erf.erf(a));
  }

  /** Number of mixture components (observations plus the prior). */
  public int components() {
    return components;
  }

  /** The log density at {@code x} (one value per coordinate; categorical ones by slice). */
  public double logDensity(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    double[] terms = new double[components];
    for (int k = 0; k < components; k++) {
      double t = logWeights[k];
      for (int j = 0; j < dims.size(); j++) {
        UnitDim dim = dims.get(j);
        if (dim.kind() == UnitDim.Kind.CATEGORICAL) {
          t += logProb[k][j][dim.category(x[j])];
        } else {
          double z = (x[j] - mu[k][j]) / sigma[k][j];
          t += -0.5 * z * z - logNorm[k][j];
        }
      }
      terms[k] = t;
      max = Math.max(max, t);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0;
    for (double t : terms) {
      sum += FastMath.exp(t - max);
    }
    return max + Math.log(sum);
  }

  /** A draw from the mixture: a component by weight, then each coordinate from its kernel. */
  public double[] sample(Random rng) {
    double r = rng.nextDouble();
    int k = 0;
    double acc = weights[0];
    while (r >= acc && k < components - 1) {
      k++;
      acc += weights[k];
    }
    double[] x = new double[dims.size()];
    for (int j = 0; j < x.length; j++) {
      UnitDim dim = dims.get(j);
      if (dim.kind() == UnitDim.Kind.CATEGORICAL) {
        double[] p = logProb[k][j];
        double u = rng.nextDouble();
        int v = 0;
        double c = Math.exp(p[0]);
        while (u >= c && v < p.length - 1) {
          v++;
          c += Math.exp(p[v]);
        }
        x[j] = dim.center(v);
      } else {
        x[j] = truncatedNormal(mu[k][j], sigma[k][j], rng);
      }
    }
    return x;
  }

  private static double truncatedNormal(double m, double s, Random rng) {
    double lo = cdf(-m / s);
    double hi = cdf((1 - m) / s);
    double p = lo + rng.nextDouble() * (hi - lo);
    p = Math.min(Math.max(p, 1e-300), 1 - 1e-16);
    double z = -SQRT2 * Erf.erfcInv(2 * p);
    return Math.max(0.0, Math.min(1.0, m + s * z));
  }

  private static double cdf(double z) {
    return 0.5 * Erf.erfc(-z / SQRT2);
  }

  /** The option of {@code tpe} and {@code motpe}: whether the coordinates of {@link #groups} share a kernel. */
  public static Option multivariate(boolean byDefault) {
    return Option.flag("multivariate", byDefault,
        "one product kernel per group of parameters with the same condition (false: one per parameter)");
  }

  /** Coordinates that share a kernel: all with the same condition, or each on its own. */
  public static List<List<UnitDim>> groups(SearchSpace space, boolean multivariate) {
    Map<Object, List<UnitDim>> byCondition = new LinkedHashMap<>();
    for (UnitDim dim : UnitDim.of(space)) {
      Optional<Condition> c = space.condition(dim.domain().name());
      Object key = multivariate ? c.<Object>map(x -> x).orElse("") : dim.index();
      byCondition.computeIfAbsent(key, k -> new ArrayList<>()).add(dim);
    }
    return List.copyOf(byCondition.values());
  }

  /**
   * Draws a point of the unit cube group by group: in each group of dimensions modelled together,
   * the candidate of {@code good}'s estimator with the largest ratio to {@code bad}'s
   * ({@link #bestRatio}); a coordinate no group sets stays at 0.5.
   */
  public static double[] sample(int dimension, List<List<UnitDim>> groups,
      Function<List<UnitDim>, ParzenEstimator> good, Function<List<UnitDim>, ParzenEstimator> bad, int candidates,
      Random rng) {
    double[] u = new double[dimension];
    Arrays.fill(u, 0.5);
    for (List<UnitDim> group : groups) {
      ParzenEstimator l = good.apply(group);
      ParzenEstimator g = bad.apply(group);
      double[] best = l.bestRatio(g, candidates, rng);
      for (int j = 0; j < group.size(); j++) {
        u[group.get(j).index()] = best[j];
      }
    }
    return u;
  }

  /**
   * The estimator of {@code group} over those of {@code points} active in it (the group's first
   * coordinate set), oldest first by {@code order}, each weighted as {@code weights} says of that
   * ordered list; an inactive coordinate inside the group counts as 0.5.
   */
  public static <T> ParzenEstimator over(List<UnitDim> group, List<T> points, Function<T, double[]> x,
      ToIntFunction<T> order, Function<List<T>, double[]> weights, double priorWeight) {
    int first = group.get(0).index();
    List<T> active = new ArrayList<>();
    for (T p : points) {
      if (!Double.isNaN(x.apply(p)[first])) {
        active.add(p);
      }
    }
    active.sort(Comparator.comparingInt(order));
    double[][] xs = new double[active.size()][group.size()];
    for (int i = 0; i < active.size(); i++) {
      for (int j = 0; j < group.size(); j++) {
        double v = x.apply(active.get(i))[group.get(j).index()];
        xs[i][j] = Double.isNaN(v) ? 0.5 : v;
      }
    }
    return new ParzenEstimator(group, xs, weights.apply(active), priorWeight);
  }

  /**
   * Of {@code candidates} draws from this density ("good", l), the one with the largest
   * {@code log l - log g} under {@code bad}; the first drawn wins a tie.
   */
  public double[] bestRatio(ParzenEstimator bad, int candidates, Random rng) {
    double[] best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < candidates; c++) {
      double[] x = sample(rng);
      double score = logDensity(x) - bad.logDensity(x);
      if (best == null || score > bestScore) {
        best = x;
        bestScore = score;
      }
    }
    return best;
  }
}
