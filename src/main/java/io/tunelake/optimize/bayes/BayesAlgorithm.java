package io.tunelake.optimize.bayes;

import io.tunelake.optimize.Algorithm;

/** Registers the recommended default ({@link BayesOptimizer}) as {@code bayes}. */
public final class BayesAlgorithm extends Algorithm {
  public BayesAlgorithm() {
    super("bayes", true, BayesOptimizer.OPTIONS, BayesOptimizer::new);
  }
}
