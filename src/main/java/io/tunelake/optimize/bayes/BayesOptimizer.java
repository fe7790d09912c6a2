package io.tunelake.optimize.bayes;

import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Proposal;
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
 * <p>GP while the space has at most {@code bayes_gp_max_dims} (default 16) searched dimensions
 * and the history holds at most {@code bayes_gp_max_trials} (default 1000) trials; TPE
 * otherwise. Why: on every function of the benchmark in {@code docs/BENCHMARKS.md}, including
 * the conditional and the mostly categorical ones, the GP reaches the lowest median regret at
 * 100 evaluations, 3x to 10^4x below TPE. TPE takes over where the GP's cost and its
 * approximations grow: many dimensions (its hyperparameter fit and acquisition search scale
 * with them, and its kernel needs more points to learn them) and long studies (it is
 * conditioned on at most 300 trials and takes about a second per batch at 1,000 trials, while
 * TPE uses the whole history in a tenth of that). Both thresholds are judgement, not measured
 * optima. Both delegates start from the same scrambled Sobol design, so a study that crosses
 * the trial threshold carries on smoothly.
 */
public final class BayesOptimizer implements Optimizer {
  private final Optimizer gp;
  private final Optimizer tpe;
  private final boolean gpSpace;
  private final int gpMaxTrials;

  public BayesOptimizer(OptimizerConfig config) {
    SearchSpace space = config.space();
    List<UnitDim> dims = UnitDim.of(space);
    int maxDims = config.intOption("bayes_gp_max_dims", 16);
    this.gpSpace = !dims.isEmpty() && dims.size() <= maxDims;
    this.gpMaxTrials = config.intOption("bayes_gp_max_trials", 1000);
    this.gp = new GaussianProcessOptimizer(config);
    this.tpe = new TpeOptimizer(config);
  }
  /** Whether an ask with {@code finished} trials goes to the GP (else TPE). */
  public boolean usesGaussianProcess(int finished) {
    return gpSpace && finished <= gpMaxTrials;
  }

  @Override
  public String name() {
    return "bayes";
  }

  @Override
  public List<Map<String, Object>> ask(int n, List<Observation> history, List<Map<String, Object>> pending) {
    return delegate(history).ask(n, history, pending);
  }

  /** The delegate's proposals: {@code sobol-startup}, then {@code gp} or {@code tpe}, whichever decided. */
  @Override
  public List<Proposal> propose(int n, List<Observation> history, List<Map<String, Object>> pending) {
    return delegate(history).propose(n, history, pending);
  }

  private Optimizer delegate(List<Observation> history) {
    return usesGaussianProcess(history.size()) ? gp : tpe;
  }
}
