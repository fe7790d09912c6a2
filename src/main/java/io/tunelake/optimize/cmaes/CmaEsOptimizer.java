package io.tunelake.optimize.cmaes;

import io.tunelake.optimize.Batch;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Option;
import io.tunelake.optimize.ModelBasedOptimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.Startup;
import io.tunelake.optimize.UnitDim;
import io.tunelake.optimize.UnitTrial;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * CMA-ES (Hansen and Ostermeier 2001; Hansen 2016) over the searched coordinates of the unit
 * cube, stateless between calls. Each ask replays the history in order: the startup trials
 * (scrambled Sobol, default {@code max(10, 2 d)}) set the initial mean at the best of them, with
 * step size {@code sigma0} (default 0.25 of the cube); every following run of {@code popsize}
 * trials (default {@code 4 + floor(3 ln d)}) is one generation and updates mean, step size,
 * covariance and paths; the trials of a generation still filling, pending or in this batch
 * are simply drawn from the current distribution. So the same history always rebuilds the
 * same distribution.
 *
 * <p>Integer and categorical parameters are searched as reals and rounded through
 * {@link io.tunelake.space.Domain#fromUnit}; inactive conditional coordinates are taken at the
 * mean. Failed trials rank last in their generation and pruned ones after complete ones; an
 * assignment already tried or pending is drawn again.
 */
final class CmaEsOptimizer extends ModelBasedOptimizer {
  static final Option POPSIZE = Option.integer("popsize", 2, Integer.MAX_VALUE, null,
      "trials per generation; default 4 + floor(3 ln d) for d searched dimensions");
  static final Option SIGMA0 = Option.real("sigma0", 0, true, 1, 0.25,
      "initial step size, as a fraction of the unit cube");
  static final List<Option> OPTIONS = List.of(Startup.TRIALS, POPSIZE, SIGMA0);
  private static final int MAX_REDRAWS = 32;
  private final SearchSpace space;
  private final int lambda;
  private final double sigma0;
  private final List<UnitDim> dims;

  CmaEsOptimizer(OptimizerConfig config) {
    super("cmaes", config, 1);
    this.space = config.space();
    this.dims = UnitDim.of(space);
    this.lambda = config.intValue(POPSIZE, CmaEs.defaultLambda(dims.size()));
    this.sigma0 = config.realValue(SIGMA0);
  }

  @Override
  protected void fill(Batch batch, List<Observation> history, List<Map<String, Object>> pending) {
    if (dims.isEmpty()) {
      batch.fillRandomly();
      return;
    }
    CmaEs es = replay(unitTrials(history));
    while (!batch.isFull()) {
      Map<String, Object> proposal = null;
      for (int attempt = 0; attempt < MAX_REDRAWS && (proposal == null || batch.seen().contains(proposal)); attempt++) {
        proposal = space.fromUnit(toCube(es.sample(batch.rng())));
      }
      if (batch.seen().contains(proposal)) {
        batch.addRandom();
      } else {
        batch.add(proposal);
      }
    }
  }

  /** The distribution after every complete generation of {@code trials}. */
  CmaEs replay(List<UnitTrial> trials) {
    int head = Math.min(startup().trials(), trials.size());
    double[] mean = new double[dims.size()];
    Arrays.fill(mean, 0.5);
    UnitTrial best = null;
    for (int i = 0; i < head; i++) {
      UnitTrial t = trials.get(i);
      if (!t.isFailed() && (best == null || BETTER_FIRST.compare(t, best) < 0)) {
        best = t;
      }
    }
    if (best != null) {
      mean = fill(best.x(), mean);
    }
    CmaEs es = new CmaEs(mean, sigma0, lambda);
    for (int start = head; start + lambda <= trials.size(); start += lambda) {
      List<double[]> points = new ArrayList<>(lambda);
      double[] losses = new double[lambda];
      double[] m = es.mean();
      List<UnitTrial> generation = trials.subList(start, start + lambda);
      List<UnitTrial> sorted = new ArrayList<>(generation);
      sorted.sort(BETTER_FIRST);
      for (int k = 0; k < lambda; k++) {
        UnitTrial t = generation.get(k);
        points.add(fill(t.x(), m));
        // CMA-ES only uses ranks; a rank also orders pruned and failed trials.
        losses[k] = sorted.indexOf(t);
      }
      es.tell(points, losses);
    }
    return es;
  }

  /** Complete trials by loss, pruned ones after every complete one, failed ones last. */
  private static final Comparator<UnitTrial> BETTER_FIRST = Comparator
      .comparingInt((UnitTrial t) -> t.isFailed() ? 2 : t.isComplete() ? 0 : 1)
      .thenComparingDouble(t -> t.isFailed() ? 0 : t.loss());

  /** The searched coordinates of {@code x}; inactive (NaN) ones from {@code fallback}. */
  private double[] fill(double[] x, double[] fallback) {
    double[] out = new double[dims.size()];
    for (int j = 0; j < out.length; j++) {
      double v = x[dims.get(j).index()];
      out[j] = Double.isNaN(v) ? fallback[j] : v;
    }
    return out;
  }

  private double[] toCube(double[] z) {
    double[] u = new double[space.dimension()];
    Arrays.fill(u, 0.5);
    for (int j = 0; j < z.length; j++) {
      u[dims.get(j).index()] = z[j];
    }
    return u;
  }
}
