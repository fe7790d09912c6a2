package io.tunelake.optimize.sobol;

import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Seen;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Quasi-random search over a scrambled Sobol sequence ({@link SobolSequence}): trial {@code k}
 * of the study (counting finished and pending trials) is Sobol point {@code k}, mapped through
 * {@link SearchSpace#fromUnit}. Evenly covering the cube, it beats independent random draws at
 * small budgets (Bergstra and Bengio 2012, section 6). Points whose assignment was already tried
 * or handed out (small discrete spaces) are replaced by later points of the sequence.
 */
public final class SobolSearch implements Optimizer {
  private static final int MAX_SKIPS = 256;
  private final SearchSpace space;
  private final long seed;

  public SobolSearch(OptimizerConfig config) {
    this.space = config.space();
    this.seed = config.seed();
  }

  @Override
  public String name() {
    return "sobol";
  }

  @Override
  public List<Map<String, Object>> ask(int n, List<Observation> history, List<Map<String, Object>> pending) {
    return design(space, seed, history.size() + pending.size(), n, Seen.of(history, pending));
  }

  /**
   * {@code count} assignments from Sobol points {@code first, first + 1, ...} of the sequence that
   * {@code seed} scrambles, skipping (and then recording in {@code seen}) assignments already
   * seen. Skipped slots take points from beyond the batch, so the design stays deterministic.
   */
  public static List<Map<String, Object>> design(SearchSpace space, long seed, int first, int count, Seen seen) {
    List<Map<String, Object>> out = new ArrayList<>(count);
    if (count <= 0) {
      return out;
    }
    int dim = Math.max(1, Math.min(space.dimension(), SobolSequence.MAX_DIMENSION));
    SobolSequence sobol = new SobolSequence(dim, seed);
    int spare = first + count;
    for (int i = 0; i < count; i++) {
      Map<String, Object> candidate = space.fromUnit(toSpace(space, sobol.point(first + i)));
      for (int skip = 0; skip < MAX_SKIPS && seen.contains(candidate); skip++) {
        candidate = space.fromUnit(toSpace(space, sobol.point(spare++)));
      }
      seen.add(candidate);
      out.add(candidate);
    }
    return out;
  }

  private static double[] toSpace(SearchSpace space, double[] point) {
    double[] u = new double[space.dimension()];
    for (int i = 0; i < u.length; i++) {
      // Spaces beyond the Sobol tables reuse coordinates; far beyond what a tuner searches.
      u[i] = point[i % point.length];
    }
    return u;
  }
}
