package io.tunelake.optimize.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
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

  private static double[][] points(Random rng, int n, int d) {
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = j == d - 1 ? rng.nextInt(3) : rng.nextDouble();
      }
    }
    return x;
  }

  private static boolean[] lastCategorical(int d) {
    boolean[] categorical = new boolean[d];
    categorical[d - 1] = true;
    return categorical;
  }

  @Test
  void cholesky_equalsCommonsMathsFactorToTheLastBit() {
    Random rng = new Random(11);
    int n = 90;
    double[][] x = points(rng, n, 4);
    GaussianProcess gp = GaussianProcess.of(x, new double[n], lastCategorical(4),
        new GaussianProcess.Hyper(new double[] {0.3, 0.7, 0.45, 1.1}, 1.3, 1e-4));
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        k[i][j] = i == j ? 1.3 + 1e-4 : gp.kernel(x[i], x[j]);
      }
    }
    double[][] expected = new CholeskyDecomposition(MatrixUtils.createRealMatrix(k), 1e-8, 1e-12).getLT().getData();
    double[][] upper = new double[n][];
    for (int i = 0; i < n; i++) {
      upper[i] = new double[n];
      System.arraycopy(k[i], i, upper[i], i, n - i);
    }
    double[][] actual = GaussianProcess.cholesky(upper);
    for (int i = 0; i < n; i++) {
      assertArrayEquals(expected[i], actual[i], "row " + i + " of L^T");
    }
  }

  @Test
  void cholesky_notPositiveDefinite_returnsNullWhereCommonsMathThrows() {
    double[][] k = {{1, 2}, {2, 1}};
    assertThrows(NonPositiveDefiniteMatrixException.class,
        () -> new CholeskyDecomposition(MatrixUtils.createRealMatrix(k), 1e-8, 1e-12));
    assertNull(GaussianProcess.cholesky(new double[][] {{1, 2}, {0, 1}}));
  }

  /** The model {@code with} makes, as it was first written: every point, factorised afresh. */
  private static GaussianProcess refitted(GaussianProcess gp, double[][] x, double[] y, boolean[] categorical) {
    return GaussianProcess.of(x, y, categorical, gp.hyper());
  }

  @Test
  void with_equalsTheModelFactorisedAfreshToTheLastBit() {
    Random rng = new Random(12);
    boolean[] categorical = lastCategorical(3);
    double[][] x = points(rng, 60, 3);
    double[] y = new double[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = f(x[i]) + x[i][2];
    }
    // Length scales that survive hyper()'s round trip exactly (powers of two) and fitted ones,
    // which need not: both ways through with() must give the fresh model.
    GaussianProcess exact = GaussianProcess.of(x, y, categorical, new GaussianProcess.Hyper(new double[] {0.5, 0.25, 1}, 1, 1e-3));
    GaussianProcess fitted = GaussianProcess.fit(x, y, categorical, rng, 40);
    for (GaussianProcess gp : new GaussianProcess[] {exact, fitted}) {
      double[][] xs = x;
      double[] ys = y;
      for (int step = 0; step < 8; step++) {
        double[] p = points(rng, 1, 3)[0];
        double yNew = gp.predict(p)[0];
        GaussianProcess reference = refitted(gp, append(xs, p), append(ys, yNew), categorical);
        gp = gp.with(p, yNew);
        xs = append(xs, p);
        ys = append(ys, yNew);
        assertEquals(reference.hyper().noiseVariance(), gp.hyper().noiseVariance());
        assertArrayEquals(reference.hyper().lengthScales(), gp.hyper().lengthScales());
        for (double[] q : points(new Random(step), 20, 3)) {
          assertArrayEquals(reference.predict(q), gp.predict(q), "after " + (step + 1) + " points at " + Arrays.toString(q));
        }
      }
    }
  }

  @Test
  void with_duplicatePoint_staysPositiveDefinite() {
    double[][] x = {{0.2, 0.4}, {0.7, 0.1}};
    GaussianProcess gp = GaussianProcess.of(x, new double[] {1, -1}, new boolean[2],
        new GaussianProcess.Hyper(new double[] {0.5, 0.5}, 1, 1e-6));
    GaussianProcess twice = gp.with(x[0], 1).with(x[0], 1);
    assertEquals(1, twice.predict(x[0])[0], 1e-3);
    assertArrayEquals(refitted(gp.with(x[0], 1), new double[][] {x[0], x[1], x[0], x[0]}, new double[] {1, -1, 1, 1},
        new boolean[2]).predict(x[1]), twice.predict(x[1]));
  }

  @Test
  void predictAll_equalsPredictToTheLastBit() {
    Random rng = new Random(13);
    boolean[] categorical = lastCategorical(4);
    double[][] x = points(rng, 120, 4);
    double[] y = new double[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = f(x[i]) - x[i][3];
    }
    GaussianProcess gp = GaussianProcess.fit(x, y, categorical, rng, 60);
    // More points than one block, and not a whole number of blocks.
    double[][] queries = points(rng, 150, 4);
    queries[7] = x[3].clone();
    double[][] all = gp.predictAll(queries);
    for (int p = 0; p < queries.length; p++) {
      double[] one = gp.predict(queries[p]);
      assertEquals(one[0], all[0][p], "mean at point " + p);
      assertEquals(one[1], all[1][p], "variance at point " + p);
    }
  }

  private static double[][] append(double[][] x, double[] p) {
    double[][] out = Arrays.copyOf(x, x.length + 1);
    out[x.length] = p;
    return out;
  }

  private static double[] append(double[] y, double v) {
    double[] out = Arrays.copyOf(y, y.length + 1);
    out[y.length] = v;
    return out;
  }
}
