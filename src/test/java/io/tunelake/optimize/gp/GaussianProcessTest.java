package io.tunelake.optimize.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GaussianProcessTest {

  private static double f(double[] x) {
    return Math.sin(6 * x[0]) + Math.cos(4 * x[1]);
  }

  @Test
  void predict_noiselessPoints_meanInterpolatesThem() {
    Random rng = new Random(1);
    double[][] x = new double[15][2];
    double[] y = new double[15];
    for (int i = 0; i < x.length; i++) {
      x[i] = new double[] {rng.nextDouble(), rng.nextDouble()};
      y[i] = f(x[i]);
    }
    GaussianProcess gp = GaussianProcess.of(x, y, new boolean[2],
        new GaussianProcess.Hyper(new double[] {0.3, 0.3}, 1.0, 1e-6));
    for (int i = 0; i < x.length; i++) {
      double[] mv = gp.predict(x[i]);
      assertEquals(y[i], mv[0], 1e-3);
      assertTrue(mv[1] < 1e-4, "variance at a training point: " + mv[1]);
    }
  }

  @Test
  void predict_farFromTheData_returnsToThePrior() {
    GaussianProcess gp = GaussianProcess.of(new double[][] {{0.0}}, new double[] {2.0}, new boolean[1],
        new GaussianProcess.Hyper(new double[] {0.05}, 1.5, 1e-6));
    double[] mv = gp.predict(new double[] {1.0});
    assertEquals(0.0, mv[0], 1e-9);
    assertEquals(1.5, mv[1], 1e-9);
  }

  @Test
  void fit_smoothFunction_predictsHeldOutPoints() {
    Random rng = new Random(4);
    double[][] x = new double[40][2];
    double[] y = new double[40];
    for (int i = 0; i < x.length; i++) {
      x[i] = new double[] {rng.nextDouble(), rng.nextDouble()};
      y[i] = f(x[i]);
    }
    GaussianProcess gp = GaussianProcess.fit(x, y, new boolean[2], rng, 100);
    double err = 0;
    for (int i = 0; i < 50; i++) {
      double[] p = {rng.nextDouble(), rng.nextDouble()};
      err += Math.abs(gp.predict(p)[0] - f(p)) / 50;
    }
    assertTrue(err < 0.05, "mean absolute error on held-out points: " + err);
  }

  @Test
  void kernel_categoricalDimension_comparesCategoriesForEquality() {
    GaussianProcess gp = GaussianProcess.of(new double[][] {{0.0, 1}}, new double[] {1.0}, new boolean[] {false, true},
        new GaussianProcess.Hyper(new double[] {0.5, 0.5}, 1.0, 1e-6));
    assertEquals(gp.kernel(new double[] {0, 0}, new double[] {0, 1}), gp.kernel(new double[] {0, 0}, new double[] {0, 3}));
    assertEquals(1.0, gp.kernel(new double[] {0.2, 2}, new double[] {0.2, 2}), 1e-12);
  }
}
