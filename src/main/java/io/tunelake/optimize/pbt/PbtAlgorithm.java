package io.tunelake.optimize.pbt;

import io.tunelake.optimize.Algorithm;
import io.tunelake.optimize.Batch;
import io.tunelake.optimize.Option;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Proposal;
import java.util.List;

/**
 * Registers population-based training as {@code pbt}. Its optimizer only draws the first
 * generation at random; the generations after it come from {@link Population#next}, which the
 * study runs between steps of training.
 */
public final class PbtAlgorithm extends Algorithm {
  /** The algorithm's name in a spec. */
  public static final String NAME = "pbt";
  /** The estimator a population can train: MLlib's perceptron continues from {@code initialWeights}. */
  public static final String ESTIMATOR = "multilayer_perceptron";

  static final Option POPULATION = Option.integer("population", 2, 1024, 8,
      "members trained side by side; search.trials must be a multiple of it (trials / population generations)");
  static final Option STEP_ITERATIONS = Option.integer("step_iterations", 1, 100_000, 10,
      "training iterations (the estimator's maxIter) of one step; each generation is one step");
  static final Option QUANTILE = Option.real("quantile", 0, true, 0.5, 0.25,
      "share of the population that is exploited: the bottom quantile copies the top quantile (at least one member)");
  static final Option RESAMPLE_PROBABILITY = Option.real("resample_probability", 0, false, 1, 0.25,
      "chance that explore redraws a parameter from its range instead of multiplying it by 0.8 or 1.2");

  public PbtAlgorithm() {
    super(NAME, false, List.of(POPULATION, STEP_ITERATIONS, QUANTILE, RESAMPLE_PROBABILITY), c -> new Optimizer() {
      @Override
      public List<Proposal> ask(int n, List<io.tunelake.optimize.Observation> history,
          List<java.util.Map<String, Object>> pending) {
        return Batch.empty(c.space(), c.seed(), n, history, pending, NAME).fillRandomly().stream()
            .map(p -> new Proposal(p.params(), NAME, p.budget())).toList();
      }

      @Override
      public String name() {
        return NAME;
      }
    });
  }
}
