package io.tunelake.optimize.sobol;

import io.tunelake.optimize.Algorithm;
import java.util.List;

/** Registers quasi-random search ({@link SobolSearch}) as {@code sobol}; it has no options. */
public final class SobolAlgorithm extends Algorithm {
  public SobolAlgorithm() {
    super("sobol", false, List.of(), c -> new SobolSearch(c.space(), c.seed()));
  }
}
