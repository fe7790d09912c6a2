package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunelake.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs the real CLI in-process on the shared session and real data. */
@ExtendWith(SparkTestSession.class)
class TuneCommandTest {

  /** What a CLI call printed and returned. */
  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  static Path spec(String yaml) throws Exception {
    Path f = SparkTestSession.tempDir("spec").resolve("spec.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  static Dataset<Row> table(Path store, String name) {
    return SparkTestSession.get().read().format("delta").load(store.resolve(name).toString());
  }

  @Test
  void tune_withAsha_recordsEachTrialsBudget_andEndsWithTheBestAtFullBudget() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = spec(String.join("\n",
        "study: iris-asha",
        "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
        "estimator: logistic_regression",
        "space:",
        "  regParam: {low: 0.001, high: 1.0, log: true}",
        "  maxIter: 15",
        "evaluation: {metric: accuracy, folds: 3}",
        "search: {algorithm: random, trials: 8, batch_size: 4, seed: 7, scheduler: {type: asha, eta: 2, min_budget: 0.25}}",
        ""));
    Run run = cli("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, run.code(), run.err());
    List<Row> trials = table(store, "trials").where("study = 'iris-asha'").orderBy("trial_id").collectAsList();
    assertEquals(List.of(0.25, 0.25, 0.25, 0.25, 0.5, 0.5, 0.25, 0.25, 1.0),
        trials.stream().map(r -> r.<Double>getAs("budget")).toList(),
        "round 2 promotes the best 2 of 4 to 0.5; before the study ends, the best of those runs at full budget");
    Row last = trials.get(8);
    assertEquals("incumbent", last.getAs("proposer"));
    assertTrue(List.of(trials.get(4).getAs("params_json"), trials.get(5).getAs("params_json"))
        .contains(last.getAs("params_json")), "trial 9 is trial 5 or 6 again: " + last.getAs("params_json"));
    Row best = table(store, "studies").where("study = 'iris-asha'").first();
    assertEquals(9, best.<Integer>getAs("best_trial_id"), "only a full-budget trial is refitted");
    assertNotNull(best.getAs("test_metric"));
  }

  @Test
  void tune_multiclassStudy_landsTrialsRefitsAndIsIdempotent() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = TinyStudy.named("iris").withMaxIter(15).withFolds(3).file();
    Run first = cli("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("study 'iris': 4 trials (4 complete, 0 pruned, 0 failed)"), first.out());
    assertTrue(first.out().contains("held-out test accuracy"), first.out());
    assertTrue(first.out().matches("(?s).*executor cores busy \\d+ % of the tuning wall time.*"), first.out());

    List<Row> trials = table(store, "trials").where("study = 'iris'").orderBy("trial_id").collectAsList();
    assertEquals(4, trials.size());
    for (Row t : trials) {
      assertEquals("COMPLETE", t.getAs("status"));
      assertEquals(3, t.<scala.collection.Seq<?>>getAs("fold_metrics").size());
      assertNotNull(t.getAs("ci_low"));
      assertEquals("random", t.getAs("proposer"));
    }
    assertEquals(List.of(1, 1, 2, 2), trials.stream().map(r -> r.<Integer>getAs("round")).toList());

    Row study = table(store, "studies").where("study = 'iris'").first();
    assertEquals("FINISHED", study.getAs("status"));
    assertNotNull(study.getAs("test_metric"));
    double utilisation = study.getAs("utilisation");
    assertTrue(utilisation > 0 && utilisation <= 1, "utilisation " + utilisation);
    String modelPath = study.getAs("model_path");
    PipelineModel model = PipelineModel.load(modelPath);
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> rows = spark.read().option("header", "true").option("inferSchema", "true")
        .csv(SparkTestSession.dataFile("sample_multiclass_classification_data.csv").toString());
    assertEquals(150, model.transform(rows).select("prediction").count());

    Run again = cli("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("0 added by this run"), again.out());
    assertEquals(4, table(store, "trials").where("study = 'iris'").count());

    Run csv = cli("trials", "iris", "--store", store.toString(), "--format", "csv");
    assertEquals(0, csv.code(), csv.err());
    String[] lines = csv.out().split("\n");
    assertEquals(5, lines.length);
    assertTrue(lines[0].startsWith("study,trial_id,round,status,proposer,param_regParam,param_maxIter,metric,"
        + "fold_metrics,mean,std,ci_low,ci_high"), lines[0]);
    assertTrue(lines[1].startsWith("iris,1,1,COMPLETE,random,"), lines[1]);

    Run json = cli("best", "iris", "--store", store.toString(), "--json");
    assertEquals(0, json.code(), json.err());
    JsonNode best = new ObjectMapper().readTree(json.out());
    assertEquals("accuracy", best.get("metric").asText());
    assertEquals(modelPath, best.get("model_path").asText());
    assertTrue(best.get("params").has("regParam"));
  }

  @Test
  void tune_trialThatThrows_isFailedAndStudyFinishes() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path data = SparkTestSession.headOf("adult.csv", 400);
    Path spec = spec(String.join("\n",
        "study: fails",
        "data: {path: '" + data + "', features: [age, workclass, education_num, hours_per_week]}",
        "featurize: {encoding: index}",
        "estimator: decision_tree_classifier",
        "space:",
        "  maxBins: [2, 32]",
        "  maxDepth: 3",
        "evaluation: {folds: 2}",
        "search: {algorithm: grid, trials: 5, batch_size: 2}",
        ""));
    Run run = cli("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, run.code(), run.err());
    List<Row> trials = table(store, "trials").orderBy("trial_id").collectAsList();
    assertEquals(2, trials.size(), "the grid has two points");
    Row failed = trials.get(0);
    assertEquals("FAILED", failed.getAs("status"));
    String error = failed.getAs("error");
    // The folds of a trial fit concurrently, so whichever fails first is the one named.
    assertTrue(error.matches("(?s)fitting fold [12]/2 of trial 1 in study 'fails' failed: .*"), error);
    assertTrue(error.contains("maxBins"), error);
    assertEquals("COMPLETE", trials.get(1).getAs("status"));
  }

  @Test
  void tune_invalidSpec_exitsTwoAndWritesNoTable() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = spec(String.join("\n",
        "study: bad",
        "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
        "estimator: logistic_regression",
        "space: {regParam: {low: 1.0, high: 0.1}}",
        ""));
    Run run = cli("tune", spec.toString(), "--store", store.resolve("tables").toString());
    assertEquals(ExitCodes.INVALID, run.code());
    assertTrue(run.err().contains("field 'space.regParam': `low <= high` must hold, but got low=1, high=0.1"),
        run.err());
    assertFalse(Files.exists(store.resolve("tables")));
  }

  @Test
  void tune_unknownColumn_exitsTwoBeforeAnyTable() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = spec(String.join("\n",
        "study: nocol",
        "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "', label: y}",
        "estimator: logistic_regression",
        "space: {regParam: {low: 0.1, high: 1.0}}",
        ""));
    Run run = cli("tune", spec.toString(), "--store", store.resolve("tables").toString());
    assertEquals(ExitCodes.INVALID, run.code());
    assertTrue(run.err().contains("field 'data.label': unknown column"), run.err());
    assertFalse(Files.exists(store.resolve("tables")));
  }

  @Test
  void trials_unknownStudy_isRefused() {
    Path store = SparkTestSession.tempDir("store");
    Run run = cli("trials", "nobody", "--store", store.toString());
    assertEquals(ExitCodes.REFUSED, run.code());
    assertTrue(run.err().contains("no TuneLake tables under"), run.err());
  }

  @Test
  void tune_noTrialCompletes_exitsThree() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = spec(String.join("\n",
        "study: allfail",
        "data: {path: '" + SparkTestSession.headOf("adult.csv", 300) + "', features: [age, workclass]}",
        "featurize: {encoding: index}",
        "estimator: decision_tree_classifier",
        "space: {maxBins: [2, 3]}",
        "evaluation: {folds: 2}",
        "search: {algorithm: grid, trials: 2, batch_size: 2}",
        ""));
    Run run = cli("tune", spec.toString(), "--store", store.toString());
    assertEquals(ExitCodes.NO_COMPLETE_TRIAL, run.code(), run.err());
    assertTrue(run.err().contains("spent its budget of 2 trials and none completed"), run.err());
    assertEquals(2, table(store, "trials").where("status = 'FAILED'").count());
  }

  @Test
  void tune_storeIsAFile_exitsTwoNamingStorePath() throws Exception {
    Path file = SparkTestSession.tempDir("store").resolve("not-a-directory");
    Files.writeString(file, "x");
    Path spec = spec(String.join("\n",
        "study: badstore",
        "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
        "estimator: logistic_regression",
        "space: {regParam: {low: 0.01, high: 1.0}}",
        "search: {trials: 1}",
        ""));
    Run run = cli("tune", spec.toString(), "--store", file.toString());
    assertEquals(ExitCodes.INVALID, run.code(), run.err());
    assertTrue(run.err().startsWith("tunelake: invalid spec: field 'store.path': '" + file.toAbsolutePath()
        + "' is a file; expected a directory"), run.err());
  }

  @Test
  void tune_summaryJson_holdsTheBestTrialForDownstreamTasks() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path summary = store.resolve("out/summary.json");
    Path spec = spec(String.join("\n",
        "study: summary",
        "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
        "estimator: logistic_regression",
        "space: {regParam: {low: 0.001, high: 1.0, log: true}, maxIter: 10}",
        "evaluation: {metric: accuracy, folds: 2}",
        "search: {algorithm: random, trials: 3, batch_size: 3, target: 0.5}",
        ""));
    Run run = cli("tune", spec.toString(), "--store", store.toString(), "--summary-json", summary.toString(),
        "--summary-stdout");
    assertEquals(0, run.code(), run.err());
    JsonNode file = new ObjectMapper().readTree(Files.readString(summary));
    String[] lines = run.out().trim().split("\n");
    assertEquals(file, new ObjectMapper().readTree(lines[lines.length - 1]), "the JSON is also the last stdout line");
    assertEquals("summary", file.get("study").asText());
    assertEquals("MAXIMIZE", file.get("direction").asText());
    assertEquals(3, file.get("trials_total").asInt());
    assertTrue(file.get("best").get("mean").asDouble() > 0.5);
    assertTrue(file.get("model_path").asText().endsWith("models/summary"));
    double utilisation = file.get("utilisation").asDouble();
    assertTrue(utilisation > 0 && utilisation <= 1, "utilisation " + utilisation);
    JsonNode phases = file.get("phases_ms");
    for (String phase : List.of("data", "featurize", "rounds", "refit")) {
      assertTrue(phases.get(phase).asLong() > 0, phase + " took no time: " + phases);
    }
    assertTrue(run.out().contains("time: data "), run.out());
    try (Stream<Path> left = Files.list(store.resolve("_scratch"))) {
      assertEquals(List.of(), left.toList(), "the featurized folds and the refit's rows are scratch, deleted at the end");
    }
  }

  @Test
  void tune_warmStartFromAnEarlierStudy_usesTheTrialsThatFitAndSaysHowMany() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Run first = cli("tune", TinyStudy.named("warm-first").file().toString(), "--store", store.toString());
    assertEquals(0, first.code(), first.err());
    // The second study searches a narrower range, so the first one's trials above it are dropped.
    List<Double> earlier = table(store, "trials").where("study = 'warm-first'")
        .selectExpr("CAST(params['regParam'] AS DOUBLE)").as(Encoders.DOUBLE()).collectAsList();
    long fit = earlier.stream().filter(r -> r <= 0.05).count();
    assertTrue(fit > 0 && fit < 4, "the first study's regParams should fall on both sides of 0.05: " + earlier);

    TinyStudy second = TinyStudy.named("warm-second").withRegParam("{low: 0.001, high: 0.05, log: true}")
        .withWarmStart("warm-first");
    Run run = cli("tune", second.file().toString(), "--store", store.toString(), "--summary-stdout");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("study 'warm-second': 4 trials (4 complete, 0 pruned, 0 failed), 4 added"),
        run.out());
    assertTrue(run.out().contains("warm start: " + fit + " trials of study 'warm-first' used, " + (4 - fit)
        + " dropped"), run.out());
    String[] lines = run.out().trim().split("\n");
    JsonNode warm = new ObjectMapper().readTree(lines[lines.length - 1]).get("warm_start");
    assertEquals("[{\"study\":\"warm-first\",\"used\":" + fit + ",\"dropped\":" + (4 - fit) + "}]",
        warm.toString());

    // The warm-start trials count toward nothing: the second study holds its own four, in its range.
    List<Row> rows = table(store, "trials").where("study = 'warm-second'").orderBy("trial_id").collectAsList();
    assertEquals(List.of(1, 2, 3, 4), rows.stream().map(r -> r.<Integer>getAs("trial_id")).toList());
    assertEquals(List.of(1, 1, 2, 2), rows.stream().map(r -> r.<Integer>getAs("round")).toList());
    for (Row r : rows) {
      assertEquals("COMPLETE", r.getAs("status"));
      double reg = Double.parseDouble(r.<scala.collection.Map<String, String>>getAs("params").apply("regParam"));
      assertTrue(reg >= 0.001 && reg <= 0.05, "regParam " + reg + " is outside the second study's range");
    }
    assertEquals(4, table(store, "trials").where("study = 'warm-first'").count());
  }

  @Test
  void tune_secondStudyOnTheSameDataAndFolds_reusesTheStoredFoldAssignment() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    // Another pipeline setting, the same data, seed and folds.
    for (TinyStudy study : List.of(TinyStudy.named("folds-first").withTrials(2),
        TinyStudy.named("folds-second").withTrials(2).withMaxIter(20))) {
      Run run = cli("tune", study.file().toString(), "--store", store.toString());
      assertEquals(0, run.code(), run.err());
    }
    List<Row> ids = table(store, "trials").groupBy("fold_assignment").agg(
        functions.sort_array(functions.collect_set("study"))).collectAsList();
    assertEquals(1, ids.size(), ids.toString());
    String id = ids.get(0).getString(0);
    assertEquals("[folds-first, folds-second]", ids.get(0).getList(1).toString());
    try (var dirs = Files.list(store.resolve("folds"))) {
      assertEquals(List.of(id), dirs.map(p -> p.getFileName().toString()).toList());
    }
    // Written once, by the first study; the second one only read it.
    assertEquals(1, SparkTestSession.get().sql("DESCRIBE HISTORY delta.`" + store.resolve("folds").resolve(id)
        + "`").count());
  }
}
