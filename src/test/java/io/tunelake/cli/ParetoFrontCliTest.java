package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunelake.SparkTestSession;
import io.tunelake.delta.DeltaTrialStore;
import io.tunelake.delta.StudyRow;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.study.FoldStats;
import io.tunelake.study.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code best}, {@code trials} and {@code report} on a stored study with two objectives and a
 * constraint, read by path (Delta Kernel, no Spark) from tables written by the store.
 */
@ExtendWith(SparkTestSession.class)
class ParetoFrontCliTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  /** Per trial: accuracy (larger is better), predict_ms_per_1k_rows (smaller), fit_seconds (at most 10). */
  static final double[][] TRIALS = {
      {0.80, 2.0, 5}, {0.85, 3.0, 5}, {0.90, 5.0, 5}, {0.82, 4.0, 5}, {0.99, 1.0, 50}, {0.95, 9.0, 5}, {0, 0, 0}};
  /**
   * By hand: 4 is dominated by 2; 5 would dominate every trial but breaks fit_seconds <= 10; 7
   * failed. The knee: scaled over the front, trial 3 is at (0.33, 0.43) from the ideal point,
   * nearer than 2 at (0.67, 0.14), 1 at (1, 0) and 6 at (0, 1).
   */
  static final List<Integer> FRONT = List.of(1, 2, 3, 6);
  static final int KNEE = 3;
  static final String SPEC = String.join("\n",
      "study: cli-pareto",
      "data: {path: 'data/x.csv'}",
      "estimator: logistic_regression",
      "space:",
      "  regParam: {low: 0.001, high: 1.0, log: true}",
      "evaluation: {folds: 2, objectives: [{metric: accuracy}, {metric: predict_ms_per_1k_rows}],",
      "  constraints: [{metric: fit_seconds, max: 10}]}",
      "search: {algorithm: nsga2, trials: 7}",
      "");

  static Path store;

  @BeforeAll
  static void writeStudy() {
    store = SparkTestSession.tempDir("pareto-cli");
    DeltaTrialStore s = DeltaTrialStore.open(SparkTestSession.get(), store.toString(), null, Clock.systemUTC());
    List<Trial> trials = new ArrayList<>();
    for (int i = 0; i < TRIALS.length; i++) {
      int id = i + 1;
      double[] o = TRIALS[i];
      boolean failed = id == 7;
      List<Double> folds = failed ? List.of() : List.of(o[0] - 0.01, o[0] + 0.01);
      Map<String, List<Double>> secondary = failed ? Map.of()
          : Map.of("predict_ms_per_1k_rows", List.of(o[1] - 0.5, o[1] + 0.5), "fit_seconds", List.of(o[2], o[2]));
      trials.add(new Trial("cli-pareto", id, 1 + i / 4, failed ? TrialStatus.FAILED : TrialStatus.COMPLETE,
          Map.of("regParam", 0.01 * id), "nsga2", "accuracy", folds, failed ? FoldStats.EMPTY : FoldStats.of(folds),
          1.0, 1000, T0.plusSeconds(id), T0.plusSeconds(id + 1), failed ? "boom" : null, secondary, 0, null, null));
    }
    s.commit(trials);
    s.saveStudy(new StudyRow("cli-pareto", "FINISHED", "logistic_regression", "accuracy", "MAXIMIZE", "nsga2", 42, 7,
        2, "stratified", "data/x.csv", "csv", SPEC, "abc", 7, KNEE, 0.9, "{}", 0.88, 30L, null, 1234L, null, "dev",
        "4.1.0", T0, T0, null));
  }

  /** The trial ids that lead the lines of a table (after its header). */
  static List<Integer> leadingIds(String table) {
    List<Integer> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\s").matcher(table);
    while (m.find()) {
      out.add(Integer.parseInt(m.group(1)));
    }
    return out;
  }

  @Test
  void best_twoObjectives_printsTheFeasibleFrontAndThePickWithItsReason() {
    TuneCommandTest.Run run = TuneCommandTest.cli("best", "cli-pareto", "--store", store.toString());
    assertEquals(0, run.code(), run.err());
    String out = run.out();
    assertTrue(out.startsWith("study 'cli-pareto': picked trial " + KNEE + " of 7, accuracy = 0.9000"), out);
    assertTrue(out.contains("  picked trial " + KNEE + ", the knee of the front of 4: "), out);
    assertTrue(out.contains("  pareto front: 4 trials\n"), out);
    String table = out.substring(out.indexOf("pareto front:"), out.indexOf("held-out test"));
    assertTrue(table.contains("trial  accuracy  predict_ms_per_1k_rows  feasible"), table);
    assertEquals(FRONT, leadingIds(table.substring(table.indexOf("feasible"))), table);
    assertTrue(table.contains("    3    0.9000                  5.0000  yes       <- picked"), table);
    assertFalse(table.contains("  no "), "every trial on the front is feasible: " + table);
  }

  @Test
  void bestJson_twoObjectives_carriesTheFrontAsAnArray() throws Exception {
    TuneCommandTest.Run run = TuneCommandTest.cli("best", "cli-pareto", "--store", store.toString(), "--json");
    assertEquals(0, run.code(), run.err());
    JsonNode best = new ObjectMapper().readTree(run.out());
    assertEquals(KNEE, best.get("trial_id").asInt());
    assertTrue(best.get("picked_because").asText().startsWith("trial 3, the knee of the front of 4"), run.out());
    assertEquals("[{\"metric\":\"accuracy\",\"direction\":\"MAXIMIZE\"},{\"metric\":\"predict_ms_per_1k_rows\","
        + "\"direction\":\"MINIMIZE\"}]", best.get("objectives").toString());
    List<Integer> ids = new ArrayList<>();
    for (JsonNode f : best.get("front")) {
      ids.add(f.get("trial_id").asInt());
      assertTrue(f.get("feasible").asBoolean());
      assertEquals(f.get("trial_id").asInt() == KNEE, f.get("picked").asBoolean());
    }
    assertEquals(FRONT, ids);
    JsonNode six = best.get("front").get(3).get("objective_means");
    assertEquals(0.95, six.get("accuracy").asDouble(), 1e-12);
    assertEquals(9.0, six.get("predict_ms_per_1k_rows").asDouble(), 1e-12);
    assertEquals(0.88, best.get("test_metric").asDouble(), 1e-12, "the fields of a single-objective study stay");
  }

  @Test
  void trialsFront_listsOnlyTheFrontsTrials_inEveryFormat() throws Exception {
    TuneCommandTest.Run table = TuneCommandTest.cli("trials", "cli-pareto", "--store", store.toString(), "--front");
    assertEquals(0, table.code(), table.err());
    assertEquals(FRONT, leadingIds(table.out()), table.out());
    assertTrue(table.out().lines().findFirst().orElseThrow().matches(
        "trial +round +status +proposer +accuracy \\(95% CI\\) +predict_ms_per_1k_rows +feasible +params"), table.out());

    TuneCommandTest.Run json = TuneCommandTest.cli("trials", "cli-pareto", "--store", store.toString(), "--front",
        "--format", "json");
    assertEquals(0, json.code(), json.err());
    List<Integer> ids = new ArrayList<>();
    for (JsonNode t : new ObjectMapper().readTree(json.out())) {
      ids.add(t.get("trial_id").asInt());
      assertTrue(t.get("feasible").asBoolean());
      assertTrue(t.get("objective_means").has("predict_ms_per_1k_rows"));
    }
    assertEquals(FRONT, ids);

    TuneCommandTest.Run csv = TuneCommandTest.cli("trials", "cli-pareto", "--store", store.toString(), "--front",
        "--format", "csv");
    assertEquals(0, csv.code(), csv.err());
    List<String> lines = csv.out().lines().toList();
    assertTrue(lines.get(0).endsWith(",error,mean_predict_ms_per_1k_rows,feasible"), lines.get(0));
    assertEquals(FRONT, lines.subList(1, lines.size()).stream().map(l -> Integer.parseInt(l.split(",")[1])).toList());
  }

  @Test
  void trials_twoObjectives_showsEveryTrialWithItsObjectivesAndFeasibility() {
    TuneCommandTest.Run run = TuneCommandTest.cli("trials", "cli-pareto", "--store", store.toString());
    assertEquals(0, run.code(), run.err());
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), leadingIds(run.out()), run.out());
    String five = run.out().lines().filter(l -> l.matches("\\s*5\\s.*")).findFirst().orElseThrow();
    assertTrue(five.contains("1.0000") && five.contains(" no "), "trial 5 breaks the constraint: " + five);
  }

  @Test
  void report_storedStudyWithTwoObjectives_drawsItsFrontFromTheStoredSpec() throws Exception {
    Path out = SparkTestSession.tempDir("pareto-report");
    TuneCommandTest.Run run = TuneCommandTest.cli("report", "cli-pareto", "--store", store.toString(), "--out",
        out.toString());
    assertEquals(0, run.code(), run.err());
    String svg = Files.readString(out.resolve("pareto.svg"));
    List<Integer> labelled = new ArrayList<>();
    Matcher m = Pattern.compile(">#(\\d+)<").matcher(svg);
    while (m.find()) {
      labelled.add(Integer.parseInt(m.group(1)));
    }
    assertEquals(FRONT, labelled.stream().sorted().toList());
    assertTrue(svg.contains(">picked: trial " + KNEE + "<"), "the pick is marked");
    assertTrue(Files.exists(out.resolve("hypervolume.svg")));
  }

  @Test
  void best_readsTheTablesByPath_withoutStartingSpark() throws Exception {
    ChildCli child = ChildCli.start(List.of("-Dspark.extraListeners=" + SparkStartMarker.class.getName()), "best",
        "cli-pareto", "--store", store.toString(), "--json");
    assertEquals(0, child.await(5), child.tail());
    assertTrue(Files.readString(child.dir.resolve("stdout.txt")).contains("\"front\":["), child.tail());
    assertFalse(Files.exists(child.dir.resolve(SparkStartMarker.FILE)), "best started a SparkContext");
  }
}
