package io.tunelake.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunelake.space.ParamsJson;
import io.tunelake.space.SearchSpace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer proposes exactly the points it proposed when the golden file was recorded, for
 * the same seed and history: a refactoring may move code but not change a single proposal. After
 * a deliberate change of behaviour, record the file again with {@code -Dgolden.write=true} and
 * say why in the commit.
 */
class GoldenProposalsTest {
  private static final String RESOURCE = "golden-proposals.txt";
  private static final List<String> ALGORITHMS = List.of("random", "grid", "sobol", "tpe", "gp", "cmaes", "bayes");
  private static final long[] SEEDS = {1, 7, 42};

  /** A fixed history on the contract's mixed space: random points, some failed, some pruned. */
  static List<Observation> history() {
    SearchSpace space = OptimizerContractTest.mixedSpace();
    Random rng = new Random(20240601);
    List<Observation> out = new ArrayList<>();
    for (int i = 0; i < 34; i++) {
      Observation o = OptimizerContractTest.evaluate(space.sample(rng));
      if (o.hasValue() && i % 7 == 3) {
        o = new Observation(o.params(), TrialStatus.PRUNED, o.value() - 0.2, 1.0 / 3);
      }
      out.add(o);
    }
    return out;
  }

  static List<String> record() {
    SearchSpace space = OptimizerContractTest.mixedSpace();
    List<Observation> all = history();
    List<String> lines = new ArrayList<>();
    for (String name : ALGORITHMS) {
      for (long seed : SEEDS) {
        Optimizer opt = Optimizers.create(name, space, Direction.MAXIMIZE, seed);
        // Empty, inside the startup design, straddling its end, and well into the model's phase.
        for (int finished : new int[] {0, 6, 12, 30}) {
          List<Observation> history = all.subList(0, finished);
          List<Map<String, Object>> pending = all.subList(finished, finished + 2).stream()
              .map(Observation::params).toList();
          for (Proposal p : opt.ask(5, history, pending)) {
            lines.add(name + " seed=" + seed + " finished=" + finished + " " + p.proposer() + " "
                + ParamsJson.write(p.params()));
          }
        }
      }
    }
    return lines;
  }

  @Test
  void everyOptimizer_proposesTheRecordedPoints() throws IOException {
    List<String> now = record();
    if (Boolean.getBoolean("golden.write")) {
      Path file = Path.of("src/test/resources/io/tunelake/optimize", RESOURCE);
      Files.write(file, now, StandardCharsets.UTF_8);
    }
    List<String> recorded;
    try (InputStream in = GoldenProposalsTest.class.getResourceAsStream(RESOURCE)) {
      recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    for (int i = 0; i < Math.min(now.size(), recorded.size()); i++) {
      assertEquals(recorded.get(i), now.get(i), "proposal " + i);
    }
    assertEquals(recorded.size(), now.size());
  }
}
