package io.tunelake.optimize.grid;

import io.tunelake.optimize.Algorithm;
import java.util.List;

/** Registers grid search ({@link GridSearch}) as {@code grid}. */
public final class GridAlgorithm extends Algorithm {
  public GridAlgorithm() {
    super("grid", false, List.of(GridSearch.POINTS), GridSearch::new);
  }
}
