package io.tunelake.optimize.cmaes;

import io.tunelake.optimize.Algorithm;

/** Registers CMA-ES ({@link CmaEsOptimizer}) as {@code cmaes}. */
public final class CmaEsAlgorithm extends Algorithm {
  public CmaEsAlgorithm() {
    super("cmaes", true, CmaEsOptimizer.OPTIONS, CmaEsOptimizer::new);
  }
}
