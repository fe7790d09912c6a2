package io.tunelake.optimize.grid;

import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Option;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Proposal;
import io.tunelake.space.Domain;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exhaustive search over the Cartesian product of each parameter's grid values, in a fixed
 * order (the last declared parameter varies fastest, as in MLlib's {@code ParamGridBuilder}).
 * Categorical and fixed parameters contribute their values; ranges are cut into
 * {@code grid_points} values (default 5), log-spaced for log ranges. Conditional parameters
 * are only expanded where they are active. Points already finished or pending are skipped, so
 * a grid ends once every point has been tried.
 */
final class GridSearch implements Optimizer {
  /** How many values a float or int range is cut into. */
  static final Option POINTS = Option.integer("grid_points", 1, Integer.MAX_VALUE, 5,
      "values a float or int range is cut into (log-spaced for log ranges)");
  private final SearchSpace space;
  private final int pointsPerRange;

  GridSearch(OptimizerConfig config) {
    this.space = config.space();
    this.pointsPerRange = config.intValue(POINTS);
  }

  /** Every point of the grid, in visiting order. */
  List<Map<String, Object>> points() {
    List<Map<String, Object>> out = new ArrayList<>();
    expand(0, new LinkedHashMap<>(), out);
    return out;
  }

  private void expand(int index, LinkedHashMap<String, Object> prefix, List<Map<String, Object>> out) {
    List<Domain> domains = space.domains();
    if (index == domains.size()) {
      out.add(Map.copyOf(prefix));
      return;
    }
    Domain d = domains.get(index);
    if (!space.isActive(d.name(), prefix)) {
      expand(index + 1, prefix, out);
      return;
    }
    for (Object v : d.gridValues(pointsPerRange)) {
      prefix.put(d.name(), v);
      expand(index + 1, prefix, out);
      prefix.remove(d.name());
    }
  }

  @Override
  public String name() {
    return "grid";
  }

  @Override
  public List<Proposal> ask(int n, List<Observation> history, List<Map<String, Object>> pending) {
    Set<String> done = new HashSet<>();
    history.forEach(o -> done.add(SearchSpace.key(o.params())));
    pending.forEach(p -> done.add(SearchSpace.key(p)));
    List<Proposal> batch = new ArrayList<>(n);
    for (Map<String, Object> p : points()) {
      if (batch.size() == n) {
        break;
      }
      if (done.add(SearchSpace.key(p))) {
        batch.add(new Proposal(space.canonical(p), name()));
      }
    }
    return batch;
  }
}
