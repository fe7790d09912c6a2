package io.tunelake.optimize.motpe;

import io.tunelake.optimize.Algorithm;

/** Registers multi-objective TPE ({@link MotpeOptimizer}) as {@code motpe}. */
public final class MotpeAlgorithm extends Algorithm {
  public MotpeAlgorithm() {
    super("motpe", true, MotpeOptimizer.OPTIONS, MotpeOptimizer::new);
  }

  @Override
  public boolean isMultiObjective() {
    return true;
  }
}
