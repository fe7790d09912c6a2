package io.tunelake.optimize.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Optimizers;
import io.tunelake.space.Categorical;
import io.tunelake.space.Condition;
import io.tunelake.space.Fixed;
import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridSearchTest {

  @Test
  void points_enumerateCartesianProductLastParameterFastest() {
    SearchSpace space = SearchSpace.of(Categorical.of("a", 1, 2), Categorical.of("b", "x", "y", "z"),
        new Fixed("c", true));
    List<Map<String, Object>> points = new GridSearch(new OptimizerConfig(space, Direction.MINIMIZE, 0, Map.of()))
        .points();
    assertEquals(6, points.size());
    assertEquals(Map.of("a", 1, "b", "x", "c", true), points.get(0));
    assertEquals(Map.of("a", 1, "b", "y", "c", true), points.get(1));
    assertEquals(Map.of("a", 2, "b", "z", "c", true), points.get(5));
  }

  @Test
  void points_logRangeIsLogSpacedAndIntRangeKeepsEnds() {
    SearchSpace space = SearchSpace.of(FloatRange.logOf("reg", 0.001, 10.0), IntRange.of("depth", 2, 10));
    GridSearch grid = new GridSearch(new OptimizerConfig(space, Direction.MINIMIZE, 0, Map.of("grid_points", 5)));
    List<Map<String, Object>> points = grid.points();
    assertEquals(25, points.size());
    List<Object> regs = points.stream().map(p -> p.get("reg")).distinct().toList();
    double[] expected = {0.001, 0.01, 0.1, 1.0, 10.0};
    for (int i = 0; i < 5; i++) {
      assertEquals(expected[i], (Double) regs.get(i), 1e-9 * expected[i]);
    }
    assertEquals(List.of(2, 4, 6, 8, 10), points.stream().map(p -> p.get("depth")).distinct().toList());
  }

  @Test
  void points_conditionalChildOnlyWhereActive() {
    SearchSpace space = SearchSpace.of(List.of(Categorical.of("reg", 0.0, 0.1), Categorical.of("mix", 0.0, 1.0)),
        Map.of("mix", Condition.of("reg", 0.1)));
    List<Map<String, Object>> points = new GridSearch(new OptimizerConfig(space, Direction.MINIMIZE, 0, Map.of()))
        .points();
    assertEquals(List.of(Map.of("reg", 0.0), Map.of("reg", 0.1, "mix", 0.0), Map.of("reg", 0.1, "mix", 1.0)), points);
  }

  @Test
  void ask_skipsFinishedAndPendingPointsAndEndsWhenExhausted() {
    SearchSpace space = SearchSpace.of(Categorical.of("a", 1, 2, 3, 4));
    Optimizer grid = Optimizers.create("grid", space, Direction.MAXIMIZE, 1);
    List<Observation> history = new ArrayList<>();
    history.add(Observation.complete(Map.of("a", 1), 0.5));
    history.add(Observation.failed(Map.of("a", 2)));
    List<Map<String, Object>> batch = Proposal.params(grid.ask(3, history, List.of(Map.of("a", 3))));
    assertEquals(List.of(Map.of("a", 4)), batch);
    history.add(Observation.complete(Map.of("a", 3), 0.1));
    history.add(Observation.complete(Map.of("a", 4), 0.2));
    assertTrue(grid.ask(3, history, List.of()).isEmpty());
  }
}
