package io.tunelake.optimize.gp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Maximises log EI over the model's input space: scores many random points and Gaussian
 * perturbations of the best observed points, refines the best few with BOBYQA over the real
 * coordinates (categorical ones held, then swept value by value), snaps every result to a valid
 * assignment and returns the best snapped point that is not excluded.
 */
final class AcquisitionMaximizer {
  private final GaussianProcess gp;
  private final boolean[] categorical;
  private final int[] cardinality;
  private final double best;
  private final int randomCandidates;
  private final int refinements;
  private final ToDoubleFunction<double[]> logCost;
  /** How far refinement may move a coordinate from its candidate, in the unit cube. */
  private static final double REACH = 0.1;

  /**
   * @param logCost the predicted log cost of a point, subtracted from log EI (expected
   *     improvement per unit of cost); zero everywhere for plain EI
   */
  AcquisitionMaximizer(GaussianProcess gp, boolean[] categorical, int[] cardinality, int randomCandidates,
      int refinements, ToDoubleFunction<double[]> logCost) {
    this.logCost = logCost;
    this.gp = gp;
    this.categorical = categorical;
    this.cardinality = cardinality;
    this.best = gp.minOutput();
    this.randomCandidates = randomCandidates;
    this.refinements = refinements;
  }

  double score(double[] e) {
    double[] mv = gp.predict(e);
    return score(e, mv[0], mv[1]);
  }

  private double score(double[] e, double mean, double variance) {
    return Acquisition.logExpectedImprovement(mean, variance, best) - logCost.applyAsDouble(e);
  }

  /**
   * The best point after snapping through {@code snap}, skipping points {@code excluded}
   * rejects; null when every candidate is excluded.
   */
  double[] maximize(List<double[]> incumbents, Random rng, UnaryOperator<double[]> snap, Predicate<double[]> excluded) {
    int d = categorical.length;
    List<double[]> pool = new ArrayList<>();
    for (int i = 0; i < randomCandidates; i++) {
      pool.add(randomPoint(rng));
    }
    for (double[] inc : incumbents) {
      for (int i = 0; i < 64; i++) {
        double scale = i % 2 == 0 ? 0.02 : 0.1;
        double[] p = inc.clone();
        for (int j = 0; j < d; j++) {
          if (categorical[j]) {
            if (rng.nextDouble() < 0.15) {
              p[j] = rng.nextInt(cardinality[j]);
            }
          } else {
            p[j] = reflect(p[j] + scale * rng.nextGaussian());
          }
        }
        pool.add(p);
      }
    }
    double[][] posterior = gp.predictAll(pool.toArray(new double[0][]));
    List<Scored> scored = new ArrayList<>(pool.size());
    for (int i = 0; i < pool.size(); i++) {
      double[] p = pool.get(i);
      scored.add(new Scored(p, score(p, posterior[0][i], posterior[1][i])));
    }
    scored.sort(Comparator.comparingDouble(Scored::value).reversed());
    List<double[]> finalists = new ArrayList<>();
    for (int i = 0; i < Math.min(refinements, scored.size()); i++) {
      finalists.add(sweepCategories(refine(scored.get(i).point())));
    }
    for (int i = 0; i < Math.min(4 * refinements, scored.size()); i++) {
      finalists.add(scored.get(i).point());
    }
    double[] chosen = null;
    double chosenValue = Double.NEGATIVE_INFINITY;
    for (double[] f : finalists) {
      double[] s = snap.apply(f);
      if (excluded.test(s)) {
        continue;
      }
      double v = score(s);
      if (chosen == null || v > chosenValue) {
        chosen = s;
        chosenValue = v;
      }
    }
    for (int i = 4 * refinements; chosen == null && i < scored.size(); i++) {
      double[] s = snap.apply(scored.get(i).point());
      if (!excluded.test(s)) {
        chosen = s;
      }
    }
    return chosen;
  }

  private double[] randomPoint(Random rng) {
    double[] p = new double[categorical.length];
    for (int j = 0; j < p.length; j++) {
      p[j] = categorical[j] ? rng.nextInt(cardinality[j]) : rng.nextDouble();
    }
    return p;
  }

  private double[] refine(double[] start) {
    int[] free = freeCoordinates();
    if (free.length == 0) {
      return start;
    }
    double[] base = start.clone();
    if (free.length == 1) {
      return patternSearch(base, free[0]);
    }
    double[] lo = new double[free.length];
    double[] hi = new double[free.length];
    double[] guess = new double[free.length];
    // Refinement polishes a candidate within a small box around it; left free on the whole cube,
    // it ran up the variance that grows towards the cube's bounds and ended on a corner. The
    // one-coordinate pattern search keeps to the same box.
    for (int k = 0; k < free.length; k++) {
      guess[k] = base[free[k]];
      lo[k] = Math.max(0, guess[k] - REACH);
      hi[k] = Math.min(1, guess[k] + REACH);
    }
    try {
      BOBYQAOptimizer opt = new BOBYQAOptimizer(2 * free.length + 1, REACH / 4, 1e-4);
      PointValuePair p = opt.optimize(new MaxEval(30 * (free.length + 2)), GoalType.MAXIMIZE,
          new ObjectiveFunction(v -> {
            double[] e = base.clone();
            for (int k = 0; k < free.length; k++) {
              e[free[k]] = Math.min(1, Math.max(0, v[k]));
            }
            double s = score(e);
            return Double.isFinite(s) ? s : -1e300;
          }), new InitialGuess(guess), new SimpleBounds(lo, hi));
      double[] out = base.clone();
      for (int k = 0; k < free.length; k++) {
        out[free[k]] = Math.min(1, Math.max(0, p.getPoint()[k]));
      }
      return score(out) >= score(start) ? out : start;
    } catch (MathIllegalStateException e) {
      return start;
    }
  }

  /**
   * A perturbed coordinate folded back into the unit interval: clamping it would pile the
   * perturbations of an incumbent near a bound onto the bound itself.
   */
  private static double reflect(double v) {
    double r = Math.abs(v) % 2;
    return r > 1 ? 2 - r : r;
  }

  private double[] patternSearch(double[] start, int j) {
    double[] cur = start.clone();
    double value = score(cur);
    double lo = Math.max(0, start[j] - REACH);
    double hi = Math.min(1, start[j] + REACH);
    for (double step = 0.05; step > 1e-4; step /= 2) {
      boolean moved = true;
      while (moved) {
        moved = false;
        for (double dir : new double[] {-1, 1}) {
          double[] t = cur.clone();
          t[j] = Math.min(hi, Math.max(lo, t[j] + dir * step));
          double v = score(t);
          if (v > value) {
            cur = t;
            value = v;
            moved = true;
          }
        }
      }
    }
    return cur;
  }

  private double[] sweepCategories(double[] point) {
    double[] cur = point.clone();
    double value = score(cur);
    for (int j = 0; j < categorical.length; j++) {
      if (!categorical[j]) {
        continue;
      }
      for (int c = 0; c < cardinality[j]; c++) {
        double[] t = cur.clone();
        t[j] = c;
        double v = score(t);
        if (v > value) {
          cur = t;
          value = v;
        }
      }
    }
    return cur;
  }

  private int[] freeCoordinates() {
    return IntStream.range(0, categorical.length).filter(j -> !categorical[j]).toArray();
  }

  private record Scored(double[] point, double value) {
    @Override
    public String toString() {
      return Arrays.toString(point) + "=" + value;
    }
  }
}
