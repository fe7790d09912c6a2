package io.tunelake.optimize.bayes;

import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Option;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.UnitDim;
import io.tunelake.optimize.gp.GaussianProcessAlgorithm;
import io.tunelake.optimize.tpe.TpeAlgorithm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The recommended default: delegates each ask to Gaussian-process BO
 * ({@link GaussianProcessAlgorithm}) or to TPE ({@link TpeAlgorithm}), decided from the space
 * and the size of the history alone, so the choice is as deterministic as the delegates.
 *
 * <p>GP while the space has at most {@code bayes_gp_max_dims} (default 16) searched dimensions
 * and the history holds at most {@code bayes_gp_max_trials} (default 1000) trials; TPE
 * otherwise. Why: on every function of the benchmark in {@code docs/BENCHMARKS.md}, including
 * the conditional and the mostly categorical ones, the GP reaches the lowest regret at 100
 * evaluations. TPE takes over where the GP's cost and its approximations grow: many dimensions
 * (its hyperparameter fit and acquisition search scale with them, and its kernel needs more
 * points to learn them) and long studies (it is conditioned on a capped number of trials, while
 * TPE uses the whole history at a fraction of the cost). Both thresholds are judgement, not
 * measured optima (see {@code docs/optimizers.md}). Both delegates draw their designs from the same scrambled Sobol
 * sequence (the GP's is the shorter), and a study crosses the trial threshold long after either ends.
 */
final class BayesOptimizer implements Optimizer {
  static final Option GP_MAX_DIMS = Option.integer("bayes_gp_max_dims", 0, Integer.MAX_VALUE, 16,
      "the GP searches spaces of at most this many searched dimensions, TPE wider ones");
  static final Option GP_MAX_TRIALS = Option.integer("bayes_gp_max_trials", 0, Integer.MAX_VALUE, 1000,
      "the GP proposes while the history holds at most this many trials, TPE after");
  /** Its own options and those of both delegates, each once. */
  static final List<Option> OPTIONS = options();
  private final Optimizer gp;
  private final Optimizer tpe;
  private final boolean gpSpace;
  private final int gpMaxTrials;

  BayesOptimizer(OptimizerConfig config) {
    List<UnitDim> dims = UnitDim.of(config.space());
    this.gpSpace = !dims.isEmpty() && dims.size() <= config.intValue(GP_MAX_DIMS);
    this.gpMaxTrials = config.intValue(GP_MAX_TRIALS);
    this.gp = new GaussianProcessAlgorithm().create(config);
    this.tpe = new TpeAlgorithm().create(config);
  }

  private static List<Option> options() {
    List<Option> out = new ArrayList<>(List.of(GP_MAX_DIMS, GP_MAX_TRIALS));
    for (Option o : new GaussianProcessAlgorithm().options()) {
      out.add(o);
    }
    for (Option o : new TpeAlgorithm().options()) {
      if (out.stream().noneMatch(x -> x.name().equals(o.name()))) {
        out.add(o);
      }
    }
    return List.copyOf(out);
  }

  /** Whether an ask with {@code finished} trials goes to the GP (else TPE). */
  boolean usesGaussianProcess(int finished) {
    return gpSpace && finished <= gpMaxTrials;
  }

  @Override
  public String name() {
    return "bayes";
  }

  /** The delegate's proposals: {@code sobol-startup}, then {@code gp} or {@code tpe}, whichever decided. */
  @Override
  public List<Proposal> ask(int n, List<Observation> history, List<Map<String, Object>> pending) {
    return (usesGaussianProcess(history.size()) ? gp : tpe).ask(n, history, pending);
  }
}
