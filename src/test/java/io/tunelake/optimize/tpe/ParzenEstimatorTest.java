package io.tunelake.optimize.tpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.optimize.UnitDim;
import io.tunelake.space.Categorical;
import io.tunelake.space.FloatRange;
import io.tunelake.space.SearchSpace;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParzenEstimatorTest {
  private static final List<UnitDim> TWO_FLOATS =
      UnitDim.of(SearchSpace.of(FloatRange.of("a", 0, 1), FloatRange.logOf("b", 1e-3, 1)));

  @Test
  void logDensity_oneContinuousDimension_integratesToOne() {
    ParzenEstimator p = new ParzenEstimator(TWO_FLOATS.subList(0, 1),
        new double[][] {{0.02}, {0.3}, {0.31}, {0.9}}, new double[] {1, 1, 0.5, 1}, 1.0);
    int steps = 20_000;
    double sum = 0;
    for (int i = 0; i < steps; i++) {
      sum += Math.exp(p.logDensity(new double[] {(i + 0.5) / steps})) / steps;
    }
    assertEquals(1.0, sum, 1e-3);
  }

  @Test
  void logDensity_twoContinuousDimensions_integratesToOne() {
    ParzenEstimator p = new ParzenEstimator(TWO_FLOATS,
        new double[][] {{0.1, 0.2}, {0.5, 0.5}, {0.95, 0.01}}, new double[] {1, 1, 1}, 1.0);
    int steps = 400;
    double sum = 0;
    for (int i = 0; i < steps; i++) {
      for (int j = 0; j < steps; j++) {
        sum += Math.exp(p.logDensity(new double[] {(i + 0.5) / steps, (j + 0.5) / steps})) / (steps * steps);
      }
    }
    assertEquals(1.0, sum, 1e-3);
  }

  @Test
  void logDensity_categorical_sumsToOneOverTheChoices() {
    UnitDim dim = UnitDim.of(SearchSpace.of(Categorical.of("c", "x", "y", "z"))).get(0);
    ParzenEstimator p = new ParzenEstimator(List.of(dim),
        new double[][] {{dim.center(0)}, {dim.center(0)}, {dim.center(2)}}, new double[] {1, 1, 1}, 1.0);
    double sum = 0;
    for (int c = 0; c < 3; c++) {
      sum += Math.exp(p.logDensity(new double[] {dim.center(c)}));
    }
    assertEquals(1.0, sum, 1e-12);
    assertTrue(p.logDensity(new double[] {dim.center(0)}) > p.logDensity(new double[] {dim.center(1)}));
  }

  @Test
  void sample_staysInsideTheUnitCubeAndNearTheObservations() {
    ParzenEstimator p = new ParzenEstimator(TWO_FLOATS, new double[][] {{0.5, 0.8}}, new double[] {1}, 0.01);
    Random rng = new Random(3);
    double mean = 0;
    double square = 0;
    for (int i = 0; i < 2000; i++) {
      double[] x = p.sample(rng);
      assertTrue(x[0] >= 0 && x[0] <= 1 && x[1] >= 0 && x[1] <= 1);
      mean += x[0] / 2000;
      square += (x[0] - 0.5) * (x[0] - 0.5) / 2000;
    }
    assertEquals(0.5, mean, 0.02);
    // Uniform draws would have a standard deviation of 0.29.
    assertTrue(Math.sqrt(square) < 0.22, "standard deviation " + Math.sqrt(square));
  }
}
