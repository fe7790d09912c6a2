package io.tunelake.optimize.tpe;

import io.tunelake.optimize.Algorithm;

/** Registers the tree-structured Parzen estimator ({@link TpeOptimizer}) as {@code tpe}. */
public final class TpeAlgorithm extends Algorithm {
  public TpeAlgorithm() {
    super("tpe", true, TpeOptimizer.OPTIONS, TpeOptimizer::new);
  }
}
