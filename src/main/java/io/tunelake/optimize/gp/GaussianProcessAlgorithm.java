package io.tunelake.optimize.gp;

import io.tunelake.optimize.Algorithm;

/** Registers Gaussian-process BO ({@link GaussianProcessOptimizer}) as {@code gp}. */
public final class GaussianProcessAlgorithm extends Algorithm {
  public GaussianProcessAlgorithm() {
    super("gp", true, GaussianProcessOptimizer.OPTIONS, GaussianProcessOptimizer::new);
  }
}
