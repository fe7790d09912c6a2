package io.tunelake.optimize.random;

import io.tunelake.optimize.Batch;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Proposal;
import io.tunelake.space.SearchSpace;
import java.util.List;
import java.util.Map;

/**
 * Random search (Bergstra and Bengio 2012): independent uniform draws in the unit cube, so log
 * ranges are sampled log-uniformly. Assignments already tried or pending are drawn again, up
 * to a bound, so small discrete spaces are not evaluated twice.
 */
record RandomSearch(SearchSpace space, long seed) implements Optimizer {

  @Override
  public String name() {
    return "random";
  }

  @Override
  public List<Proposal> ask(int n, List<Observation> history, List<Map<String, Object>> pending) {
    return Batch.empty(space, seed, n, history, pending, name()).fillRandomly();
  }
}
