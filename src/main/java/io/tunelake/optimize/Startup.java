package io.tunelake.optimize;

import java.util.List;
import java.util.Map;

/**
 * The initial design that model-based optimizers (TPE, GP, CMA-ES, bayes) run before a model
 * takes over: the first {@code startup_trials} slots of a study are filled with scrambled Sobol
 * points. The default is {@code max(10, 2 * searched dimensions)}, enough for a model to see
 * every dimension vary, few enough to leave most of a 100-trial budget to the model.
 */
public final class Startup {
  /** The option that overrides the default number of startup trials. */
  public static final String OPTION = "startup_trials";

  private Startup() {}

  /** The default number of startup trials for a space with {@code searchedDims} searched dimensions. */
  public static int defaultTrials(int searchedDims) {
    return Math.max(10, 2 * searchedDims);
  }

  /** The configured number of startup trials (option {@code startup_trials}, else the default). */
  public static int trials(OptimizerConfig config) {
    int dims = UnitDim.of(config.space()).size();
    int startup = config.intOption(OPTION, defaultTrials(dims));
    if (startup < 0) {
      throw new IllegalArgumentException("option " + OPTION + " must be >= 0, but got " + startup + "; use 0 to start modelling at once");
    }
    return startup;
  }

  /**
   * How many of the next {@code n} slots still belong to the startup design: slots are numbered
   * by {@code history.size() + pending.size()}, and a model needs at least {@code minModelTrials}
   * trials with a value, or every slot goes to the design.
   */
  public static int slots(int startup, int n, List<Observation> history, List<Map<String, Object>> pending,
      int minModelTrials) {
    long withValue = history.stream().filter(Observation::hasValue).count();
    if (withValue < minModelTrials) {
      return n;
    }
    int used = history.size() + pending.size();
    return Math.max(0, Math.min(n, startup - used));
  }
}
