package io.tunelake.optimize.tpe;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.Seeds;
import io.tunelake.optimize.Seen;
import io.tunelake.optimize.Startup;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.optimize.UnitDim;
import io.tunelake.optimize.UnitTrial;
import io.tunelake.optimize.sobol.SobolSearch;
import io.tunelake.space.Condition;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
public final class TpeOptimizer implements Optimizer {
  private static final int MAX_RETRIES = 16;
  private final SearchSpace space;
  private final Direction direction;
  private final long seed;
  private final int startup;
  private final int candidates;
  private final double priorWeight;
  private final List<List<UnitDim>> groups;

  public TpeOptimizer(OptimizerConfig config) {
    this.space = config.space();
    this.direction = config.direction();
    this.seed = config.seed();
    this.startup = Startup.trials(config);
    this.candidates = config.intOption("ei_candidates", 24);
    this.priorWeight = config.doubleOption("prior_weight", 1.0);
    if (candidates < 1) {
      throw new IllegalArgumentException("option ei_candidates must be >= 1, but got " + candidates + "; drop it to use 24");
    }
    if (!(priorWeight > 0)) {
      throw new IllegalArgumentException("option prior_weight must be > 0, but got " + priorWeight + "; drop it to use 1.0");
    }
    this.groups = groups(space, config.booleanOption("multivariate", true));
  }

  /** Coordinates that share a kernel: all with the same condition, or each on its own. */
  static List<List<UnitDim>> groups(SearchSpace space, boolean multivariate) {
    Map<Object, List<UnitDim>> byCondition = new LinkedHashMap<>();
    for (UnitDim dim : UnitDim.of(space)) {
      Optional<Condition> c = space.condition(dim.domain().name());
      Object key = multivariate ? c.<Object>map(x -> x).orElse("") : dim.index();
      byCondition.computeIfAbsent(key, k -> new ArrayList<>()).add(dim);
    }
    return List.copyOf(byCondition.values());
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
  public String name() {
    return "tpe";
  }

  @Override
  public List<Map<String, Object>> ask(int n, List<Observation> history, List<Map<String, Object>> pending) {
    return Proposal.params(propose(n, history, pending));
  }

  @Override
  public List<Proposal> propose(int n, List<Observation> history, List<Map<String, Object>> pending) {
    Seen seen = Seen.of(history, pending);
    int design = Startup.slots(startup, n, history, pending, 1);
    List<Map<String, Object>> batch = new ArrayList<>(
        SobolSearch.design(space, seed, history.size() + pending.size(), design, seen));
    List<Proposal> out = new ArrayList<>(Proposal.all(batch, Proposal.STARTUP));
    if (batch.size() == n) {
      return out;
    }
    Random rng = Seeds.forRound(seed, history.size(), pending.size());
    List<UnitTrial> trials = ranked(UnitTrial.of(space, direction, history));
    int good = Math.min(gamma(trials.size()), (int) trials.stream().filter(t -> !t.isFailed()).count());
    List<UnitTrial> below = trials.subList(0, good);
    List<UnitTrial> above = new ArrayList<>(trials.subList(good, trials.size()));
    int order = history.size();
    for (Map<String, Object> p : pending) {
      above.add(liar(p, order++));
    }
    for (Map<String, Object> p : batch) {
      above.add(liar(p, order++));
    }
    while (out.size() < n) {
      Map<String, Object> proposal = null;
      String proposer = name();
      for (int attempt = 0; attempt < MAX_RETRIES && proposal == null; attempt++) {
        Map<String, Object> candidate = space.fromUnit(sample(below, above, rng));
        if (!seen.contains(candidate)) {
          proposal = candidate;
        }
      }
      if (proposal == null) {
        // The model keeps returning tried points (a nearly exhausted discrete space).
        proposal = space.sample(rng);
        proposer = "random";
      }
      seen.add(proposal);
      out.add(new Proposal(proposal, proposer));
      above.add(liar(proposal, order++));
    }
    return out;
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
    double[] u = new double[space.dimension()];
    Arrays.fill(u, 0.5);
    for (List<UnitDim> group : groups) {
      ParzenEstimator l = estimator(group, below);
      ParzenEstimator g = estimator(group, above);
      double[] best = null;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < candidates; c++) {
        double[] x = l.sample(rng);
        double score = l.logDensity(x) - g.logDensity(x);
        if (best == null || score > bestScore) {
          best = x;
          bestScore = score;
        }
      }
      for (int j = 0; j < group.size(); j++) {
        u[group.get(j).index()] = best[j];
      }
    }
    return u;
  }

  private ParzenEstimator estimator(List<UnitDim> group, List<UnitTrial> trials) {
    int first = group.get(0).index();
    List<UnitTrial> active = new ArrayList<>();
    for (UnitTrial t : trials) {
      if (!Double.isNaN(t.x()[first])) {
        active.add(t);
      }
    }
    // Weights follow age: sort by position in the history, oldest first.
    active.sort(Comparator.comparingInt(UnitTrial::order));
    double[] w = weights(active.size());
    double[][] points = new double[active.size()][group.size()];
    for (int i = 0; i < active.size(); i++) {
      for (int j = 0; j < group.size(); j++) {
        double v = active.get(i).x()[group.get(j).index()];
        points[i][j] = Double.isNaN(v) ? 0.5 : v;
      }
    }
    return new ParzenEstimator(group, points, w, priorWeight);
  }
}
