package io.tunelake.optimize.bayes;

import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.UnitDim;
import io.tunelake.optimize.gp.GaussianProcessOptimizer;
import io.tunelake.optimize.tpe.TpeOptimizer;
import io.tunelake.space.SearchSpace;
import java.util.List;
import java.util.Map;

/**
 * The recommended default: delegates each ask to Gaussian-process BO
 * ({@link GaussianProcessOptimizer}) or to TPE ({@link TpeOptimizer}), decided from the space
 * and the size of the history alone, so the choice is as deterministic as the delegates.
 *
 * <p>GP when the space is flat (no conditions), has at most {@code bayes_gp_max_dims} (default
 * 16) searched dimensions, at most half of them categorical, and the history holds at most
 * {@code bayes_gp_max_trials} (default 1000) trials; TPE otherwise. Why: on the benchmark of
 * {@code docs/BENCHMARKS.md} the GP reaches a far lower regret than TPE at 100 evaluations on
 * every function, but its model is a stationary kernel over one fixed set of dimensions, which
 * conditional parameters break and categorical ones serve poorly, its cost grows with the
 * history (it is capped at 300 points, so very long studies see only part of it), while TPE
 * models each conditional branch on its own and costs little at any size. Both start from the
 * same scrambled Sobol design, so a study that crosses the trial threshold continues smoothly.
 */
public final class BayesOptimizer implements Optimizer {
  private final Optimizer gp;
  private final Optimizer tpe;
  private final boolean gpSpace;
  private final int gpMaxTrials;

  public BayesOptimizer(OptimizerConfig config) {
    SearchSpace space = config.space();
    List<UnitDim> dims = UnitDim.of(space);
    long categorical = dims.stream().filter(d -> d.kind() == UnitDim.Kind.CATEGORICAL).count();
    int maxDims = config.intOption("bayes_gp_max_dims", 16);
    this.gpSpace = space.isFlat() && !dims.isEmpty() && dims.size() <= maxDims && 2 * categorical <= dims.size();
    this.gpMaxTrials = config.intOption("bayes_gp_max_trials", 1000);
    this.gp = new GaussianProcessOptimizer(config);
    this.tpe = new TpeOptimizer(config);
  }

  /** Whether an ask with {@code finished} trials goes to the GP (else TPE). */
  public boolean usesGaussianProcess(int finished) {
    return gpSpace && finished <= gpMaxTrials;
  }

  @Override
  public List<Map<String, Object>> ask(int n, List<Observation> history, List<Map<String, Object>> pending) {
    return usesGaussianProcess(history.size()) ? gp.ask(n, history, pending) : tpe.ask(n, history, pending);
  }
}
