package io.tunelake.optimize.gp;

import org.apache.commons.math3.special.Erf;

/**
 * The logarithm of expected improvement for minimisation, computed without cancellation or
 * underflow far in the tail (Ament et al. 2023, "Unexpected Improvements to Expected
 * Improvement for Bayesian Optimization", eq. 9). With {@code z = (best - mean) / sd},
 * {@code EI = sd * h(z)} and {@code h(z) = phi(z) + z Phi(z)}; for {@code z < -1} it uses
 * {@code h(z) = phi(z) * (1 - |z| R(|z|))} with the Mills ratio {@code R}, and the continued
 * fraction for {@code 1 - t R(t)} where {@code t} is large, so that log EI stays finite and
 * ordered where EI itself rounds to zero.
 */
public final class Acquisition {
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
  private static final double SQRT2 = Math.sqrt(2);

  private Acquisition() {}

  /** log EI of a Gaussian posterior {@code (mean, variance)} below the incumbent {@code best}. */
  public static double logExpectedImprovement(double mean, double variance, double best) {
    double sd = Math.sqrt(Math.max(variance, 0));
    if (sd <= 0) {
      return best > mean ? Math.log(best - mean) : Double.NEGATIVE_INFINITY;
    }
    double z = (best - mean) / sd;
    return Math.log(sd) + logH(z);
  }

  /** {@code log(phi(z) + z Phi(z))}, accurate for every finite {@code z}. */
  static double logH(double z) {
    if (z > -1) {
      double phi = Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
      double cdf = 0.5 * Erf.erfc(-z / SQRT2);
      return Math.log(phi + z * cdf);
    }
    double t = -z;
    double logPhi = -0.5 * t * t - LOG_SQRT_2PI;
    return logPhi + Math.log(oneMinusTMills(t));
  }

  /** {@code 1 - t R(t)} for {@code t >= 1}, where {@code R(t) = (1 - Phi(t)) / phi(t)}. */
  static double oneMinusTMills(double t) {
    if (t < 5) {
      // erfc is accurate here and 1 - tR is not small enough to lose digits.
      double tail = 0.5 * Erf.erfc(t / SQRT2);
      double phi = Math.exp(-0.5 * t * t - LOG_SQRT_2PI);
      return 1 - t * tail / phi;
    }
    // Laplace's continued fraction R(t) = 1/(t + 1/(t + 2/(t + 3/(t + ...)))): writing
    // R = 1/(t + a), 1 - tR = a/(t + a) with a = 1/(t + 2/(t + ...)), free of cancellation.
    double tailValue = t;
    for (int k = 60; k >= 2; k--) {
      tailValue = t + k / tailValue;
    }
    double a = 1 / tailValue;
    return a / (t + a);
  }
}
