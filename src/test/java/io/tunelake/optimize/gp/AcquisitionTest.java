package io.tunelake.optimize.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class AcquisitionTest {
  private static final NormalDistribution N = new NormalDistribution(0, 1);

  @Test
  void expectedImprovement_certainAndWorseThanTheIncumbent_isNumericallyZero() {
    double logEi = Acquisition.logExpectedImprovement(1.0, 1e-12, 0.0);
    assertTrue(Math.exp(logEi) < 1e-300, "EI = exp(" + logEi + ")");
    assertTrue(Double.isFinite(logEi) || logEi == Double.NEGATIVE_INFINITY);
  }

  @Test
  void logH_matchesTheDirectFormulaWhereThatIsAccurate() {
    for (double z = -10; z <= 5; z += 0.25) {
      double direct = N.density(z) + z * N.cumulativeProbability(z);
      assertEquals(Math.log(direct), Acquisition.logH(z), 1e-6 * Math.max(1, Math.abs(Math.log(direct))), "z=" + z);
    }
  }

  @Test
  void logH_farInTheTail_staysFiniteAndIncreasing() {
    double previous = Double.NEGATIVE_INFINITY;
    for (double z = -1000; z <= -1; z += 0.5) {
      double v = Acquisition.logH(z);
      assertTrue(Double.isFinite(v), "z=" + z);
      assertTrue(v > previous, "z=" + z);
      previous = v;
    }
    // log h(z) ~ -z^2/2 - log(sqrt(2 pi)) - 2 log|z| far in the tail.
    double z = -200;
    assertEquals(-0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z), Acquisition.logH(z), 1e-3);
  }

  @Test
  void expectedImprovement_growsWithUncertaintyAtTheSameMean() {
    assertTrue(Acquisition.logExpectedImprovement(0.5, 0.04, 0.0) < Acquisition.logExpectedImprovement(0.5, 1.0, 0.0));
  }
}
