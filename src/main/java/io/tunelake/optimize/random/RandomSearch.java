package io.tunelake.optimize.random;

import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Seeds;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random search (Bergstra and Bengio 2012): independent uniform draws in the unit cube, so log
 * ranges are sampled log-uniformly. Assignments already tried or pending are drawn again, up
 * to a bound, so small discrete spaces are not evaluated twice.
 */
public final class RandomSearch implements Optimizer {
  private static final int MAX_REDRAWS = 64;
  private final SearchSpace space;
  private final long seed;

  public RandomSearch(OptimizerConfig config) {
    this.space = config.space();
    this.seed = config.seed();
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public List<Map<String, Object>> ask(int n, List<Observation> history, List<Map<String, Object>> pending) {
    Random rng = Seeds.forRound(seed, history.size(), pending.size());
    Set<String> seen = new HashSet<>();
    history.forEach(o -> seen.add(SearchSpace.key(o.params())));
    pending.forEach(p -> seen.add(SearchSpace.key(p)));
    List<Map<String, Object>> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Map<String, Object> candidate = space.sample(rng);
      for (int redraw = 0; redraw < MAX_REDRAWS && seen.contains(SearchSpace.key(candidate)); redraw++) {
        candidate = space.sample(rng);
      }
      seen.add(SearchSpace.key(candidate));
      batch.add(candidate);
    }
    return batch;
  }
}
