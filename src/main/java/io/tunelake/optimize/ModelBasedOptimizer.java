package io.tunelake.optimize;

import io.tunelake.space.SearchSpace;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * An optimizer that runs the {@link Startup} design and then a model of the results (TPE, GP,
 * CMA-ES): {@link #ask} fills the design's slots of the batch and leaves the rest to
 * {@link #fill}, so the startup preamble exists once, here.
 */
public abstract class ModelBasedOptimizer implements Optimizer {
  private final String name;
  private final SearchSpace space;
  private final Direction direction;
  private final Startup startup;

  /**
   * An optimizer whose design has the density models' default length,
   * {@link Startup#densityModelTrials}; see the other constructor.
   */
  protected ModelBasedOptimizer(String name, OptimizerConfig config, int minModelTrials) {
    this(name, config, minModelTrials, Startup::densityModelTrials);
  }

  /**
   * An optimizer registered as {@code name}, made from {@code config}, whose model takes over
   * once the design's {@code defaultStartup} trials (a function of the searched dimensions,
   * unless {@code startup_trials} is set) are done and at least {@code minModelTrials} trials
   * have a value.
   */
  protected ModelBasedOptimizer(String name, OptimizerConfig config, int minModelTrials,
      IntUnaryOperator defaultStartup) {
    this.name = name;
    this.space = config.space();
    this.direction = config.direction();
    this.startup = new Startup(config, minModelTrials, defaultStartup.applyAsInt(UnitDim.of(space).size()));
  }

  @Override
  public final String name() {
    return name;
  }

  /** The design this optimizer starts with. */
  protected final Startup startup() {
    return startup;
  }

  /** The trials of {@code history} in the unit cube, as losses (see {@link UnitTrial#of}). */
  protected final List<UnitTrial> unitTrials(List<Observation> history) {
    return UnitTrial.of(space, direction, history);
  }

  @Override
  public final List<Proposal> ask(int n, List<Observation> history, List<Map<String, Object>> pending) {
    Batch batch = startup.begin(n, history, pending, name);
    if (!batch.isFull()) {
      fill(batch, history, pending);
    }
    return batch.proposals();
  }

  /**
   * Fills the slots of {@code batch} that the design left: {@link Batch#add(Map)} for the
   * model's proposals, {@link Batch#addRandom()} where the model has nothing new to offer.
   * {@code batch.assignments()} holds the design's points of this batch, which count as pending.
   */
  protected abstract void fill(Batch batch, List<Observation> history, List<Map<String, Object>> pending);
}
