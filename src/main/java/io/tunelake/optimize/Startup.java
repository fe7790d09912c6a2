package io.tunelake.optimize;

import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The startup design that model-based optimizers (TPE, GP, CMA-ES, bayes) run before a model
 * takes over: the first {@code startup_trials} slots of a study are filled with scrambled Sobol
 * points. The default depends on the model: {@code max(10, 2 * searched dimensions)} for TPE and
 * CMA-ES, whose density or covariance estimates need every dimension to vary a few times, and
 * {@code max(5, searched dimensions + 1)} for the GP, whose priors keep a fit on a handful of
 * points sensible, so that in a study of batches its model proposes from the second round on.
 * Sobol search itself is this design run for every slot.
 */
public final class Startup {
  /** The option that overrides the default number of startup trials. */
  public static final Option TRIALS = Option.integer("startup_trials", 0, Integer.MAX_VALUE, null,
      "trials of the scrambled Sobol design before the model takes over; default max(10, 2 x searched dimensions)"
          + " for tpe and cmaes, max(5, searched dimensions + 1) for gp and bayes");
  private static final int MAX_SKIPS = 256;
  private final SearchSpace space;
  private final long seed;
  private final int trials;
  private final int minModelTrials;

  /**
   * The design of {@code config}, {@code defaultTrials} long unless the options say otherwise; a
   * model needs at least {@code minModelTrials} trials with a value, and until then every slot
   * goes to the design.
   */
  public Startup(OptimizerConfig config, int minModelTrials, int defaultTrials) {
    this.space = config.space();
    this.seed = config.seed();
    this.trials = config.intValue(TRIALS, defaultTrials);
    this.minModelTrials = minModelTrials;
  }

  /** The default design length for density and covariance models (TPE, CMA-ES) of {@code searchedDims} dimensions. */
  public static int densityModelTrials(int searchedDims) {
    return Math.max(10, 2 * searchedDims);
  }

  /** The default design length for a Gaussian process over {@code searchedDims} dimensions. */
  public static int gaussianProcessTrials(int searchedDims) {
    return Math.max(5, searchedDims + 1);
  }

  /** How many trials the design runs. */
  public int trials() {
    return trials;
  }

  /**
   * Begins a batch of {@code n}: the slots that still belong to the design (slots are numbered
   * by {@code history.size() + pending.size()}) are filled with its points, the rest are left to
   * the model called {@code model}.
   */
  Batch begin(int n, List<Observation> history, List<Map<String, Object>> pending, String model) {
    Batch batch = Batch.empty(space, seed, n, history, pending, model);
    long withValue = history.stream().filter(Observation::hasValue).count();
    int used = history.size() + pending.size();
    int slots = withValue < minModelTrials ? n : Math.max(0, Math.min(n, trials - used));
    for (Map<String, Object> p : design(space, seed, used, slots, batch.seen())) {
      batch.add(p, Proposal.STARTUP);
    }
    return batch;
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
