package io.tunelake.optimize.tpe;

import io.tunelake.optimize.Batch;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Option;
import io.tunelake.optimize.ModelBasedOptimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Startup;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.optimize.UnitDim;
import io.tunelake.optimize.UnitTrial;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The tree-structured Parzen estimator (Bergstra et al. 2011). After a scrambled Sobol startup
 * design, the finished trials are ranked and split into the best {@code gamma(n) =
 * min(ceil(0.1 n), 25)} ("good", density l) and the rest ("bad", density g); each proposal
 * draws {@code ei_candidates} (default 24) points from l and keeps the one with the largest
 * {@code log l - log g}, which maximises expected improvement under the TPE model.
 *
 * <ul>
 *   <li>Ranking: complete trials by loss, then pruned ones (they could not beat the best; a
 *       larger budget ranks first), then failed ones, which are always "bad".
 *   <li>Weights: the 25 most recent trials of each group weigh 1, older ones ramp down
 *       linearly, so the densities follow the search; a prior component weighs
 *       {@code prior_weight} (default 1.0).
 *   <li>Multivariate (option {@code multivariate}, default true; Falkner et al. 2018): the
 *       unconditional parameters share one product kernel, which captures their interactions;
 *       each set of parameters with the same condition gets its own. With {@code false}, each
 *       parameter is modelled on its own, as in the original paper.
 *   <li>Conditional parameters: a parameter's densities are fitted on the trials where it was
 *       active only, which is the "tree" of the name.
 *   <li>Batches and pending trials: a constant liar (Ginsbourger et al. 2010) counts every
 *       pending trial and every earlier member of the batch as "bad", so a batch spreads out
 *       instead of sampling n near-copies of the same point.
 * </ul>
 */
final class TpeOptimizer extends ModelBasedOptimizer {
  static final Option EI_CANDIDATES = Option.integer("ei_candidates", 1, Integer.MAX_VALUE, 24,
      "points drawn from the good density per proposal; the one with the largest l/g is proposed");
  static final Option PRIOR_WEIGHT = Option.real("prior_weight", 0, true, Double.MAX_VALUE, 1.0,
      "weight of the uniform prior component in each density");
  static final Option MULTIVARIATE = ParzenEstimator.multivariate(true);
  static final List<Option> OPTIONS = List.of(Startup.TRIALS, EI_CANDIDATES, PRIOR_WEIGHT, MULTIVARIATE);
  private static final int MAX_RETRIES = 16;
  private final SearchSpace space;
  private final int candidates;
  private final double priorWeight;
  private final List<List<UnitDim>> groups;

  TpeOptimizer(OptimizerConfig config) {
    super("tpe", config, 1);
    this.space = config.space();
    this.candidates = config.intValue(EI_CANDIDATES);
    this.priorWeight = config.realValue(PRIOR_WEIGHT);
    this.groups = ParzenEstimator.groups(space, config.flag(MULTIVARIATE));
  }

  /** The size of the "good" group for {@code n} ranked trials. */
  static int gamma(int n) {
    return Math.min((int) Math.ceil(0.1 * n), 25);
  }

  /** Weights of {@code n} trials from the oldest to the newest: the last 25 weigh 1. */
  static double[] weights(int n) {
    double[] w = new double[n];
    int flat = Math.min(n, 25);
    int ramp = n - flat;
    for (int i = 0; i < n; i++) {
      w[i] = i < ramp ? (ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1)) : 1.0;
    }
    return w;
  }

  @Override
  protected void fill(Batch batch, List<Observation> history, List<Map<String, Object>> pending) {
    List<UnitTrial> trials = ranked(unitTrials(history));
    int good = Math.min(gamma(trials.size()), (int) trials.stream().filter(t -> !t.isFailed()).count());
    List<UnitTrial> below = trials.subList(0, good);
    List<UnitTrial> above = new ArrayList<>(trials.subList(good, trials.size()));
    int order = history.size();
    for (Map<String, Object> p : pending) {
      above.add(liar(p, order++));
    }
    for (Map<String, Object> p : batch.assignments()) {
      above.add(liar(p, order++));
    }
    while (!batch.isFull()) {
      Map<String, Object> proposal =
          batch.addUnseen(() -> space.fromUnit(sample(below, above, batch.rng())), MAX_RETRIES);
      above.add(liar(proposal, order++));
    }
  }

  private UnitTrial liar(Map<String, Object> params, int order) {
    return new UnitTrial(space.toUnit(params), Double.NaN, TrialStatus.FAILED, 1.0, order);
  }

  /** Complete by loss, then pruned (larger budget first, then loss), then failed; ties by age. */
  static List<UnitTrial> ranked(List<UnitTrial> trials) {
    Comparator<UnitTrial> byClass = Comparator.comparingInt(t -> t.isFailed() ? 2 : t.isComplete() ? 0 : 1);
    Comparator<UnitTrial> order = byClass
        .thenComparing(Comparator.comparingDouble((UnitTrial t) -> t.isComplete() || t.isFailed() ? 0 : -t.budget()))
        .thenComparingDouble(t -> t.isFailed() ? 0 : t.loss())
        .thenComparingInt(UnitTrial::order);
    List<UnitTrial> sorted = new ArrayList<>(trials);
    sorted.sort(order);
    return sorted;
  }

  private double[] sample(List<UnitTrial> below, List<UnitTrial> above, Random rng) {
    return ParzenEstimator.sample(space.dimension(), groups, g -> estimator(g, below), g -> estimator(g, above),
        candidates, rng);
  }

  /** Weights follow age: the estimator orders the trials by position in the history, oldest first. */
  private ParzenEstimator estimator(List<UnitDim> group, List<UnitTrial> trials) {
    return ParzenEstimator.over(group, trials, UnitTrial::x, UnitTrial::order, active -> weights(active.size()),
        priorWeight);
  }
}
