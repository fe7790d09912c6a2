package io.tunelake.optimize.nsga2;

import io.tunelake.optimize.Algorithm;

/** Registers NSGA-II ({@link Nsga2Optimizer}) as {@code nsga2}. */
public final class Nsga2Algorithm extends Algorithm {
  public Nsga2Algorithm() {
    super("nsga2", true, Nsga2Optimizer.OPTIONS, Nsga2Optimizer::new);
  }

  @Override
  public boolean isMultiObjective() {
    return true;
  }
}
