package io.tunelake.optimize.cmaes;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The state of a (mu/mu_w, lambda)-CMA-ES (Hansen 2016, "The CMA Evolution Strategy: A
 * Tutorial", algorithm in appendix A, default parameters of table 1): mean, step size,
 * covariance matrix and the two evolution paths. {@link #tell} applies one generation's update
 * from the points actually evaluated (which may have been clipped to the cube or come from
 * elsewhere, so the step is computed from them rather than from the sampled normals, and the
 * step-size path uses a Mahalanobis-clipped step as for injected solutions, Hansen 2011).
 * Instances are mutable and confined to one ask() call.
 */
final class CmaEs {
  private final int n;
  private final int lambda;
  private final int mu;
  private final double[] weights;
  private final double muEff;
  private final double cc;
  private final double cs;
  private final double c1;
  private final double cmu;
  private final double damps;
  private final double chiN;
  private double[] mean;
  private double sigma;
  private double[][] c;
  private double[] pc;
  private double[] ps;
  private int generation;
  private double[][] b;
  private double[] diag;

  CmaEs(double[] mean, double sigma, int lambda) {
    this.n = mean.length;
    if (n < 1) {
      throw new IllegalArgumentException("CMA-ES needs at least one dimension, but got " + n);
    }
    if (lambda < 2) {
      throw new IllegalArgumentException("CMA-ES needs a population of at least 2, but got " + lambda);
    }
    this.lambda = lambda;
    this.mu = lambda / 2;
    this.weights = new double[mu];
    double sum = 0;
    for (int i = 0; i < mu; i++) {
      weights[i] = Math.log(mu + 0.5) - Math.log(i + 1);
      sum += weights[i];
    }
    double sumSq = 0;
    for (int i = 0; i < mu; i++) {
      weights[i] /= sum;
      sumSq += weights[i] * weights[i];
    }
    this.muEff = 1 / sumSq;
    this.cc = (4 + muEff / n) / (n + 4 + 2 * muEff / n);
    this.cs = (muEff + 2) / (n + muEff + 5);
    this.c1 = 2 / ((n + 1.3) * (n + 1.3) + muEff);
    this.cmu = Math.min(1 - c1, 2 * (muEff - 2 + 1 / muEff) / ((n + 2) * (n + 2) + muEff));
    this.damps = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cs;
    this.chiN = Math.sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n));
    this.mean = mean.clone();
    this.sigma = sigma;
    this.c = new double[n][n];
    for (int i = 0; i < n; i++) {
      c[i][i] = 1;
    }
    this.pc = new double[n];
    this.ps = new double[n];
    decompose();
  }

  /** The default population size {@code 4 + floor(3 ln n)}. */
  static int defaultLambda(int n) {
    return 4 + (int) Math.floor(3 * Math.log(Math.max(1, n)));
  }

  int lambda() {
    return lambda;
  }

  double[] mean() {
    return mean.clone();
  }

  double sigma() {
    return sigma;
  }

  int generation() {
    return generation;
  }

  private void decompose() {
    RealMatrix m = MatrixUtils.createRealMatrix(c);
    EigenDecomposition eig = new EigenDecomposition(m);
    b = eig.getV().getData();
    double[] ev = eig.getRealEigenvalues();
    diag = new double[n];
    for (int i = 0; i < n; i++) {
      diag[i] = Math.sqrt(Math.max(ev[i], 1e-20));
    }
  }

  /** A draw {@code mean + sigma * B D z}, resampled a few times and then clipped into [0, 1]. */
  double[] sample(Random rng) {
    double[] x = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      double[] z = new double[n];
      for (int i = 0; i < n; i++) {
        z[i] = diag[i] * rng.nextGaussian();
      }
      x = new double[n];
      boolean inside = true;
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += b[i][j] * z[j];
        }
        x[i] = mean[i] + sigma * s;
        inside &= x[i] >= 0 && x[i] <= 1;
      }
      if (inside) {
        return x;
      }
    }
    for (int i = 0; i < n; i++) {
      x[i] = Math.min(1, Math.max(0, x[i]));
    }
    return x;
  }

  /** C^(-1/2) v = B D^-1 B^T v. */
  private double[] invSqrt(double[] v) {
    double[] t = new double[n];
    for (int k = 0; k < n; k++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += b[i][k] * v[i];
      }
      t[k] = s / diag[k];
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < n; k++) {
        s += b[i][k] * t[k];
      }
      out[i] = s;
    }
    return out;
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  /**
   * One generation: {@code points} (lambda of them, or more) with their {@code losses}; failed
   * points carry NaN or +inf and rank last.
   */
  void tell(List<double[]> points, double[] losses) {
    Integer[] order = new Integer[points.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> Double.isNaN(losses[i]) ? Double.POSITIVE_INFINITY : losses[i]));
    double[][] y = new double[mu][n];
    double[] yw = new double[n];
    double limit = Math.sqrt(n) + 2 * n / (n + 2.0);
    for (int k = 0; k < mu; k++) {
      double[] x = points.get(order[k]);
      for (int i = 0; i < n; i++) {
        y[k][i] = (x[i] - mean[i]) / sigma;
      }
      // Clip the Mahalanobis length of steps that did not come from this distribution.
      double len = norm(invSqrt(y[k]));
      if (len > limit) {
        for (int i = 0; i < n; i++) {
          y[k][i] *= limit / len;
        }
      }
      for (int i = 0; i < n; i++) {
        yw[i] += weights[k] * y[k][i];
      }
    }
    for (int i = 0; i < n; i++) {
      mean[i] = Math.min(1, Math.max(0, mean[i] + sigma * yw[i]));
    }
    double[] cy = invSqrt(yw);
    double psFactor = Math.sqrt(cs * (2 - cs) * muEff);
    for (int i = 0; i < n; i++) {
      ps[i] = (1 - cs) * ps[i] + psFactor * cy[i];
    }
    generation++;
    double psNorm = norm(ps);
    boolean hsig = psNorm / Math.sqrt(1 - Math.pow(1 - cs, 2.0 * generation)) < (1.4 + 2.0 / (n + 1)) * chiN;
    double pcFactor = Math.sqrt(cc * (2 - cc) * muEff);
    for (int i = 0; i < n; i++) {
      pc[i] = (1 - cc) * pc[i] + (hsig ? pcFactor * yw[i] : 0);
    }
    double keep = 1 - c1 - cmu + (hsig ? 0 : c1 * cc * (2 - cc));
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double rankMu = 0;
        for (int k = 0; k < mu; k++) {
          rankMu += weights[k] * y[k][i] * y[k][j];
        }
        c[i][j] = keep * c[i][j] + c1 * pc[i] * pc[j] + cmu * rankMu;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double avg = 0.5 * (c[i][j] + c[j][i]);
        c[i][j] = avg;
        c[j][i] = avg;
      }
    }
    sigma *= Math.exp((cs / damps) * (psNorm / chiN - 1));
    sigma = Math.min(1.0, Math.max(1e-10, sigma));
    decompose();
  }
}
