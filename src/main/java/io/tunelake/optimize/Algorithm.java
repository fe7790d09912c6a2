package io.tunelake.optimize;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A search algorithm as the registry knows it: its spec name, whether it models the results,
 * its options and how to make its optimizer. Each algorithm package provides one subclass,
 * listed in {@code META-INF/services/io.tunelake.optimize.Algorithm}, so that {@link Optimizers}
 * finds them without importing them: algorithms depend on this contract, never the other way
 * round.
 */
public abstract class Algorithm {
  private final String name;
  private final boolean modelBased;
  private final List<Option> options;
  private final Function<OptimizerConfig, Optimizer> factory;

  /**
   * @param name the name a spec gives in {@code search.algorithm}
   * @param modelBased whether it models the results (TPE, GP, CMA-ES, bayes) rather than sampling blindly
   * @param options every option it reads from {@code search.options}, each declared once
   * @param factory makes its optimizer from a config whose options were checked against {@code options}
   */
  protected Algorithm(String name, boolean modelBased, List<Option> options,
      Function<OptimizerConfig, Optimizer> factory) {
    this.name = Objects.requireNonNull(name, "name");
    this.modelBased = modelBased;
    this.options = List.copyOf(options);
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** The name a spec gives in {@code search.algorithm}. */
  public final String name() {
    return name;
  }

  /** Whether it models the results (TPE, GP, CMA-ES, bayes) rather than sampling blindly. */
  public final boolean isModelBased() {
    return modelBased;
  }

  /** Every option it reads from {@code search.options}, in declaration order. */
  public final List<Option> options() {
    return options;
  }

  /**
   * Whether its optimizer handles several objectives itself (NSGA-II, MOTPE); any other is given
   * random scalarisations of them (see {@link Optimizers#create(String, OptimizerConfig)}).
   */
  public boolean isMultiObjective() {
    return false;
  }

  /** Makes its optimizer. */
  public final Optimizer create(OptimizerConfig config) {
    return factory.apply(config);
  }
}
