package io.tunelake.optimize.random;

import io.tunelake.optimize.Algorithm;
import java.util.List;

/** Registers random search ({@link RandomSearch}) as {@code random}; it has no options. */
public final class RandomAlgorithm extends Algorithm {
  public RandomAlgorithm() {
    super("random", false, List.of(), c -> new RandomSearch(c.space(), c.seed()));
  }
}
