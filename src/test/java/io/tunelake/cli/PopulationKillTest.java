package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pbt study's CLI process killed with SIGKILL while its second generation trains (the first
 * committed, some of the second's weights written), then run again to the end: the same trials,
 * lineage, params and scores as a run never killed, and no weight file but the committed trials'.
 */
@ExtendWith(SparkTestSession.class)
class PopulationKillTest {
  static final int MEMBERS = 4;
  static final int FOLDS = 2;
  static final int TRIALS = 2 * MEMBERS;

  static final String YAML = String.join("\n",
      "study: pbt-kill",
      "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
      "estimator: multilayer_perceptron",
      "space:",
      "  stepSize: {low: 0.01, high: 0.5, log: true}",
      "  solver: [l-bfgs, gd]",
      "evaluation: {metric: accuracy, folds: " + FOLDS + "}",
      "search: {algorithm: pbt, trials: " + TRIALS + ", seed: 5, options: {population: " + MEMBERS
          + ", step_iterations: 5, quantile: 0.25}}",
      "");

  static final String LINEAGE = "SELECT trial_id, member, generation, parent_trial_id, proposer, status, params_json, "
      + "round, mean, fold_metrics FROM trials WHERE study = 'pbt-kill' ORDER BY trial_id";

  static List<Row> lineage(Path store) {
    return PopulationTrainingTest.query(store, LINEAGE);
  }

  /** Every file under {@code <store>/pbt}, relative to it, checksum files of Hadoop's local file system left out. */
  static Set<String> weightFiles(Path store) throws IOException {
    Path pbt = store.resolve("pbt");
    if (!Files.exists(pbt)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.walk(pbt)) {
      return files.filter(Files::isRegularFile).map(f -> pbt.relativize(f).toString())
          .filter(f -> !f.endsWith(".crc")).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void tune_killedInTheSecondGeneration_rerunEndsAsAnUninterruptedRun() throws Exception {
    Path spec = TuneCommandTest.spec(YAML);
    // Both runs in a child JVM of the same configuration, so the perceptrons' sums run in the
    // same order; side by side, as the two stores are apart.
    Path whole = SparkTestSession.tempDir("pbt-kill-whole");
    ChildCli uninterrupted = ChildCli.start("tune", spec.toString(), "--store", whole.toString());
    Path store = SparkTestSession.tempDir("pbt-kill");
    ChildCli first = ChildCli.start("tune", spec.toString(), "--store", store.toString());
    try {
      // Version 1 of the trials table is generation 0's commit; a weight file of generation 1
      // means its round is training and not yet committed.
      // A loaded machine can take minutes to read the data, so the wait is long; it polls often,
      // to kill mid-generation.
      first.awaitFile(store.resolve("trials/_delta_log/00000000000000000001.json"), 40, 20);
      first.awaitFile(store.resolve("pbt/pbt-kill/trial-" + (MEMBERS + 1) + "/fold-0.weights"), 40, 20);
    } catch (AssertionError | RuntimeException e) {
      uninterrupted.kill();
      throw e;
    } finally {
      first.kill();
    }
    assertEquals(0, uninterrupted.await(40), uninterrupted.tail());
    List<Row> expected = lineage(whole);
    assertEquals(TRIALS, expected.size());
    List<Row> kept = lineage(store);
    assertEquals(MEMBERS, kept.size(), "killed with generation 0 committed and generation 1 training: " + kept);
    assertTrue(weightFiles(store).stream().anyMatch(f -> f.startsWith("pbt-kill/trial-" + (MEMBERS + 1) + "/")),
        "the killed generation had written weights");

    ChildCli second = ChildCli.start("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, second.await(40), second.tail());
    assertTrue(second.stdout().contains("study 'pbt-kill': " + TRIALS + " trials (" + TRIALS + " complete, 0 pruned, "
        + "0 failed), " + MEMBERS + " added by this run"), second.tail());
    List<Row> after = lineage(store);

    assertEquals(IntStream.rangeClosed(1, TRIALS).boxed().toList(), after.stream().map(r -> r.getInt(0)).toList(),
        "every trial id once");
    for (int i = 0; i < TRIALS; i++) {
      Row a = after.get(i);
      Row e = expected.get(i);
      assertEquals("COMPLETE", a.getString(5), a.toString());
      assertEquals(i / MEMBERS, a.getInt(2), "generation of " + a);
      for (int c = 0; c < 8; c++) {
        assertEquals(e.get(c), a.get(c), "column " + c + " of trial " + (i + 1));
      }
      assertEquals(e.getDouble(8), a.getDouble(8), 1e-9, "mean of trial " + (i + 1));
      List<Double> ef = e.getList(9);
      List<Double> af = a.getList(9);
      assertEquals(ef.size(), af.size());
      for (int k = 0; k < ef.size(); k++) {
        assertEquals(ef.get(k), af.get(k), 1e-9, "fold " + k + " of trial " + (i + 1));
      }
    }
    assertTrue(after.subList(MEMBERS, TRIALS).stream().allMatch(r -> !r.isNullAt(3) && r.getInt(3) <= MEMBERS),
        "generation 1 starts from generation 0's weights: " + after);

    // docs/tables.md: pbt/<study>/trial-<id>/fold-<k>.weights for every committed trial and fold, nothing else.
    List<String> listed = new ArrayList<>();
    for (int t = 1; t <= TRIALS; t++) {
      for (int k = 0; k < FOLDS; k++) {
        listed.add("pbt-kill/trial-" + t + "/fold-" + k + ".weights");
      }
    }
    assertEquals(new TreeSet<>(listed), weightFiles(store));
    assertEquals(weightFiles(whole), weightFiles(store));
    try (Stream<Path> scratch = Files.list(store.resolve("_scratch"))) {
      assertEquals(List.of(), scratch.toList(), "the killed run's scratch is deleted by the run after it");
    } catch (java.nio.file.NoSuchFileException none) {
      // no scratch directory at all is as clean
    }
  }
}
