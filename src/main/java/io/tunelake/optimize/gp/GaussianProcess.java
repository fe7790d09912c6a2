package io.tunelake.optimize.gp;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * A Gaussian-process regression model (Rasmussen and Williams 2006) with a zero mean and the
 * Matérn-5/2 kernel {@code s2 (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r)}, where {@code r} is the
 * distance scaled by one length scale per dimension (automatic relevance determination), plus
 * a noise variance on the diagonal. Inputs live in the unit cube; a categorical dimension holds
 * the category's index, and contributes 1 (scaled) to {@code r^2} when two points differ in it.
 * Outputs are expected standardised (mean 0, variance 1).
 *
 * <p>{@link #fit} chooses the length scales, signal and noise variances by maximising the log
 * marginal likelihood plus log-normal priors (centred at a length scale of
 * {@code 0.35 sqrt(d)}, a signal variance of 1 and a noise variance of 1e-3), which keep the fit
 * stable with few points; BOBYQA runs from the prior's mode and from one random start. The
 * Cholesky factor comes from Commons Math.
 */
public final class GaussianProcess {
  private static final double SQRT5 = Math.sqrt(5);
  private static final double MIN_NOISE = 1e-6;
  /** A pivot at most this makes the covariance not positive definite (Commons Math's default). */
  private static final double POSITIVITY = 1e-12;
  /** Points per block in {@link #predictAll}: their solves' working rows stay in cache. */
  private static final int BLOCK = 64;
  private final double[][] x;
  private final double[] y;
  private final boolean[] categorical;
  private final double[] inverseLengthSq;
  private final double signal;
  private final double noise;
  /**
   * The Cholesky factor of the covariance, transposed: {@code upper[i][q]} is {@code L[q][i]} for
   * {@code q >= i}, so that a column of {@code L} is one contiguous row here.
   */
  private final double[][] upper;
  private final double[] alpha;

  /** The hyperparameters of a fitted model. */
  public record Hyper(double[] lengthScales, double signalVariance, double noiseVariance) {
    public Hyper {
      lengthScales = lengthScales.clone();
    }
  }

  private GaussianProcess(double[][] x, double[] y, boolean[] categorical, Hyper hyper) {
    this(x, y, categorical, inverseLengthSq(hyper), hyper.signalVariance(),
        Math.max(MIN_NOISE, hyper.noiseVariance()), null);
  }

  /**
   * A model over {@code x}, {@code y}; {@code factor}, when given, is already the Cholesky factor
   * of {@code covariance(jitter)}, else it is computed here.
   */
  private GaussianProcess(double[][] x, double[] y, boolean[] categorical, double[] inverseLengthSq, double signal,
      double jitter, double[][] factor) {
    this.x = x;
    this.y = y;
    this.categorical = categorical;
    this.inverseLengthSq = inverseLengthSq;
    this.signal = signal;
    double[][] u = factor;
    // Duplicate points make K singular up to rounding; more jitter resolves it.
    for (int attempt = 0; u == null; attempt++) {
      u = cholesky(covariance(jitter));
      if (u == null) {
        if (attempt > 8) {
          throw new IllegalStateException("the GP covariance of " + x.length + " points is not positive definite");
        }
        jitter *= 10;
      }
    }
    this.noise = jitter;
    this.upper = u;
    this.alpha = backward(upper, forward(upper, y));
  }

  private static double[] inverseLengthSq(Hyper hyper) {
    double[] ls = hyper.lengthScales();
    double[] out = new double[ls.length];
    for (int j = 0; j < ls.length; j++) {
      out[j] = 1.0 / (ls[j] * ls[j]);
    }
    return out;
  }

  /** A model with the given hyperparameters, conditioned on {@code x} and {@code y}. */
  public static GaussianProcess of(double[][] x, double[] y, boolean[] categorical, Hyper hyper) {
    check(x, y, categorical);
    return new GaussianProcess(copy(x), y.clone(), categorical.clone(), hyper);
  }

  /**
   * A model whose hyperparameters maximise the penalised marginal likelihood of at most
   * {@code fitPoints} of the points (the first ones given; callers put the informative ones
   * first), then conditioned on all of them.
   */
  public static GaussianProcess fit(double[][] x, double[] y, boolean[] categorical, Random rng, int fitPoints) {
    check(x, y, categorical);
    int d = categorical.length;
    int m = Math.min(x.length, Math.max(2, fitPoints));
    double[][] xs = Arrays.copyOf(x, m);
    double[] ys = Arrays.copyOf(y, m);
    double priorLs = Math.log(0.35 * Math.sqrt(Math.max(1, d)));
    MultivariateFunction objective = theta -> {
      Hyper h = hyper(theta, d);
      double lp = logMarginal(xs, ys, categorical, h);
      for (int j = 0; j < d; j++) {
        double z = theta[j] - priorLs;
        lp -= 0.5 * z * z;
      }
      // log signal variance ~ N(0, 1); log noise variance ~ N(log 1e-3, 2.5^2).
      double zs = theta[d];
      double zn = (theta[d + 1] - Math.log(1e-3)) / 2.5;
      lp -= 0.5 * zs * zs + 0.5 * zn * zn;
      return Double.isFinite(lp) ? lp : -1e10;
    };
    double[] lo = new double[d + 2];
    double[] hi = new double[d + 2];
    for (int j = 0; j < d; j++) {
      lo[j] = Math.log(0.01);
      hi[j] = Math.log(20);
    }
    lo[d] = Math.log(0.05);
    hi[d] = Math.log(20);
    lo[d + 1] = Math.log(MIN_NOISE);
    hi[d + 1] = Math.log(1.0);
    double[] start = new double[d + 2];
    Arrays.fill(start, 0, d, priorLs);
    start[d] = 0;
    start[d + 1] = Math.log(1e-3);
    double[] random = new double[d + 2];
    for (int j = 0; j < d + 2; j++) {
      random[j] = lo[j] + (0.15 + 0.7 * rng.nextDouble()) * (hi[j] - lo[j]);
    }
    double[] best = start;
    double bestValue = objective.value(start);
    for (double[] s : new double[][] {start, random}) {
      try {
        BOBYQAOptimizer opt = new BOBYQAOptimizer(2 * (d + 2) + 1, 0.5, 1e-3);
        PointValuePair p = opt.optimize(new MaxEval(60 * (d + 2)), new ObjectiveFunction(objective),
            GoalType.MAXIMIZE, new InitialGuess(s), new SimpleBounds(lo, hi));
        if (p.getValue() > bestValue) {
          best = p.getPoint();
          bestValue = p.getValue();
        }
      } catch (MathIllegalStateException e) {
        // Out of evaluations before converging: keep the best of the other starts.
      }
    }
    return new GaussianProcess(copy(x), y.clone(), categorical.clone(), hyper(best, d));
  }

  private static Hyper hyper(double[] theta, int d) {
    double[] ls = new double[d];
    for (int j = 0; j < d; j++) {
      ls[j] = Math.exp(theta[j]);
    }
    return new Hyper(ls, Math.exp(theta[d]), Math.exp(theta[d + 1]));
  }

  /** The log marginal likelihood of {@code y} under the model with {@code hyper}; -inf if singular. */
  static double logMarginal(double[][] x, double[] y, boolean[] categorical, Hyper hyper) {
    GaussianProcess gp;
    try {
      gp = new GaussianProcess(x, y, categorical, hyper);
    } catch (IllegalStateException e) {
      return Double.NEGATIVE_INFINITY;
    }
    double fit = 0;
    for (int i = 0; i < y.length; i++) {
      fit += y[i] * gp.alpha[i];
    }
    double logDet = 0;
    for (int i = 0; i < y.length; i++) {
      logDet += Math.log(gp.upper[i][i]);
    }
    return -0.5 * fit - logDet - 0.5 * y.length * Math.log(2 * Math.PI);
  }

  private static void check(double[][] x, double[] y, boolean[] categorical) {
    if (x.length != y.length || x.length == 0) {
      throw new IllegalArgumentException(
          "a GP needs as many outputs as inputs, at least one, but got " + x.length + " inputs and " + y.length + " outputs");
    }
    for (double[] row : x) {
      if (row.length != categorical.length) {
        throw new IllegalArgumentException("every input needs " + categorical.length + " coordinates, but got " + row.length);
      }
    }
  }

  private static double[][] copy(double[][] x) {
    double[][] c = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      c[i] = x[i].clone();
    }
    return c;
  }

  /** The fitted hyperparameters. */
  public Hyper hyper() {
    double[] ls = new double[inverseLengthSq.length];
    for (int j = 0; j < ls.length; j++) {
      ls[j] = 1 / Math.sqrt(inverseLengthSq[j]);
    }
    return new Hyper(ls, signal, noise);
  }

  /** Number of points the model is conditioned on. */
  public int size() {
    return y.length;
  }

  /**
   * The same hyperparameters conditioned on one more point ({@code xNew}, {@code yNew}): the
   * model {@code of(x + xNew, y + yNew, categorical, hyper())} would be, bit for bit.
   */
  public GaussianProcess with(double[] xNew, double yNew) {
    double[][] x2 = Arrays.copyOf(x, x.length + 1);
    x2[x.length] = xNew.clone();
    double[] y2 = Arrays.copyOf(y, y.length + 1);
    y2[y.length] = yNew;
    Hyper hyper = hyper();
    double[] inverse2 = inverseLengthSq(hyper);
    // The length scales go through hyper() and back, which can move their last bit; only when it
    // does not is the old factor the leading block of the new one.
    if (Arrays.equals(inverse2, inverseLengthSq)) {
      double[][] factor = appendRow(x2);
      if (factor != null) {
        return new GaussianProcess(x2, y2, categorical, inverseLengthSq, signal, noise, factor);
      }
    }
    return new GaussianProcess(x2, y2, categorical, hyper);
  }

  /**
   * The factor of the covariance of {@code x2} (this model's points and one more) with this
   * model's jitter, from this factor and one new row, in the order of operations of the full
   * factorization, so that it equals {@code cholesky(covariance(noise))} over {@code x2}; null
   * where that factorization fails.
   */
  private double[][] appendRow(double[][] x2) {
    int n = x.length;
    double[] xNew = x2[n];
    double[][] u = new double[n + 1][];
    double[] column = new double[n + 1];
    for (int i = 0; i < n; i++) {
      column[i] = kernel(xNew, x[i]);
    }
    for (int i = 0; i < n; i++) {
      double[] row = upper[i];
      double s = column[i];
      for (int k = 0; k < i; k++) {
        s -= upper[k][i] * column[k];
      }
      column[i] = s * (1.0 / row[i]);
      u[i] = Arrays.copyOf(row, n + 1);
      u[i][n] = column[i];
    }
    double diagonal = signal + noise;
    for (int k = 0; k < n; k++) {
      diagonal -= column[k] * column[k];
    }
    if (diagonal <= POSITIVITY) {
      return null;
    }
    u[n] = new double[n + 1];
    u[n][n] = Math.sqrt(diagonal);
    return u;
  }

  /** The smallest output the model is conditioned on. */
  public double minOutput() {
    double m = Double.POSITIVE_INFINITY;
    for (double v : y) {
      m = Math.min(m, v);
    }
    return m;
  }

  /** The kernel between two points. */
  double kernel(double[] a, double[] b) {
    double r2 = 0;
    for (int j = 0; j < a.length; j++) {
      double diff = categorical[j] ? (a[j] == b[j] ? 0 : 1) : a[j] - b[j];
      r2 += diff * diff * inverseLengthSq[j];
    }
    double r = Math.sqrt(r2);
    return signal * (1 + SQRT5 * r + 5.0 / 3.0 * r2) * Math.exp(-SQRT5 * r);
  }

  /** The covariance with {@code jitter} on the diagonal; only the upper triangle is filled. */
  private double[][] covariance(double jitter) {
    int n = x.length;
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        k[j][i] = kernel(x[i], x[j]);
      }
      k[i][i] = signal + jitter;
    }
    return k;
  }

  /**
   * The Cholesky factor of the symmetric matrix whose upper triangle {@code k} holds, transposed
   * ({@code L^T}, computed in place); null when a pivot is at most {@link #POSITIVITY}. The order
   * of operations is Commons Math's {@code CholeskyDecomposition} (outer-product form, each column
   * scaled by the reciprocal of its pivot), so that the factor equals its own to the last bit, as
   * the proposals recorded with it require; on plain arrays it makes no matrix copies.
   */
  static double[][] cholesky(double[][] k) {
    int n = k.length;
    for (int i = 0; i < n; i++) {
      double[] ltI = k[i];
      if (ltI[i] <= POSITIVITY) {
        return null;
      }
      ltI[i] = Math.sqrt(ltI[i]);
      double inverse = 1.0 / ltI[i];
      for (int q = n - 1; q > i; q--) {
        ltI[q] *= inverse;
        double[] ltQ = k[q];
        double lqi = ltI[q];
        for (int p = q; p < n; p++) {
          ltQ[p] -= lqi * ltI[p];
        }
      }
    }
    return k;
  }

  /**
   * Solves {@code L v = b} from the transposed factor, column by column: each element gets the
   * same subtractions in the same order as in the row-by-row substitution, but the inner loop
   * runs over independent elements instead of one long chain of dependent additions.
   */
  private static double[] forward(double[][] upper, double[] b) {
    int n = b.length;
    double[] out = b.clone();
    for (int i = 0; i < n; i++) {
      double[] column = upper[i];
      double oi = out[i] / column[i];
      out[i] = oi;
      for (int q = i + 1; q < n; q++) {
        out[q] -= column[q] * oi;
      }
    }
    return out;
  }

  /** Solves {@code L^T a = b}. */
  private static double[] backward(double[][] upper, double[] b) {
    int n = b.length;
    double[] out = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = b[i];
      double[] row = upper[i];
      for (int j = i + 1; j < n; j++) {
        s -= row[j] * out[j];
      }
      out[i] = s / row[i];
    }
    return out;
  }

  /**
   * The posterior means and variances at many points, {@code {means, variances}}: for each point
   * the same numbers, to the last bit, as {@link #predict}, but the triangular solves run
   * {@link #BLOCK} points at a time, so that each pass over the factor serves a block of points
   * rather than one (a solve is bound by reading the factor, not by arithmetic).
   */
  double[][] predictAll(double[][] points) {
    int n = x.length;
    double[] means = new double[points.length];
    double[] variances = new double[points.length];
    double[][] v = new double[n][BLOCK];
    for (int start = 0; start < points.length; start += BLOCK) {
      int b = Math.min(BLOCK, points.length - start);
      for (int p = 0; p < b; p++) {
        double[] point = points[start + p];
        double mean = 0;
        for (int i = 0; i < n; i++) {
          double k = kernel(point, x[i]);
          v[i][p] = k;
          mean += k * alpha[i];
        }
        means[start + p] = mean;
      }
      // forward() on b right-hand sides at once: v[q][p] gets the same operations in the same order.
      for (int i = 0; i < n; i++) {
        double[] column = upper[i];
        double pivot = column[i];
        double[] vi = v[i];
        for (int p = 0; p < b; p++) {
          vi[p] = vi[p] / pivot;
        }
        for (int q = i + 1; q < n; q++) {
          double lqi = column[q];
          double[] vq = v[q];
          for (int p = 0; p < b; p++) {
            vq[p] -= lqi * vi[p];
          }
        }
      }
      for (int p = 0; p < b; p++) {
        double var = signal;
        for (int i = 0; i < n; i++) {
          var -= v[i][p] * v[i][p];
        }
        variances[start + p] = Math.max(var, 1e-12 * signal);
      }
    }
    return new double[][] {means, variances};
  }

  /** The posterior mean and variance at {@code point}: {@code {mean, variance}}. */
  public double[] predict(double[] point) {
    int n = x.length;
    double[] k = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      k[i] = kernel(point, x[i]);
      mean += k[i] * alpha[i];
    }
    double[] v = forward(upper, k);
    double var = signal;
    for (double vi : v) {
      var -= vi * vi;
    }
    return new double[] {mean, Math.max(var, 1e-12 * signal)};
  }
}
