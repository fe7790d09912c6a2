package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Starts a Spark standalone master and worker from the Maven-resolved jars
 * ({@code scripts/local-cluster}), spark-submits a study with the application jar, so
 * executors run in JVMs of their own, and checks the tables and the saved model.
 */
class ClusterIT {
  static final Path PROJECT = Path.of(System.getProperty("tunelake.project.dir", ".")).toAbsolutePath();
  static final Path SCRIPT = PROJECT.resolve("scripts/local-cluster");

  /** Exit code and output of a finished script. */
  record Result(int code, String output) {}

  static Result script(Path log, long minutes, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(SCRIPT.toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", args) + " did not finish in " + minutes + " min; see " + log);
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void startCluster() throws Exception {
    Result r = script(SparkTestSession.tempDir("cluster").resolve("start.log"), 5, "start", "--workers", "1",
        "--cores", "2", "--memory", "2g");
    assertEquals(0, r.code(), r.output());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    Path logs = SparkTestSession.tempDir("cluster");
    assertEquals(0, script(logs.resolve("stop.log"), 2, "stop").code());
    Result status = script(logs.resolve("status.log"), 1, "status");
    assertEquals(3, status.code(), "a process was left behind: " + status.output());
  }

  @Test
  void sparkSubmit_studyOnStandaloneCluster_landsTrialsAndModel() throws Exception {
    Path work = SparkTestSession.tempDir("cluster-study");
    Path store = work.resolve("store");
    Path spec = work.resolve("spec.yaml");
    Files.writeString(spec, String.join("\n",
        "study: on-cluster",
        "data: {path: '" + SparkTestSession.headOf("adult.csv", 600) + "'}",
        "estimator: logistic_regression",
        "space:",
        "  regParam: {low: 0.001, high: 1.0, log: true}",
        "  maxIter: 10",
        "evaluation: {folds: 2}",
        "search: {algorithm: random, trials: 4, batch_size: 2}",
        ""));
    String jar = PROJECT.resolve("target/tunelake-" + System.getProperty("tunelake.version") + ".jar").toString();
    assertTrue(new File(jar).isFile(), "the application jar is built by `package`: " + jar);
    Result submit = script(work.resolve("submit.log"), 10, "submit", "--class", "io.tunelake.cli.Main",
        "--conf", "spark.executor.memory=1g", jar, "tune", spec.toString(), "--store", store.toString());
    assertEquals(0, submit.code(), submit.output());
    assertTrue(submit.output().contains("study 'on-cluster': 4 trials (4 complete"), submit.output());
    String executors = Files.readString(PROJECT.resolve("target/local-cluster/worker-1.log"));
    assertTrue(executors.contains("Asked to launch executor"), "no executor JVM was launched");

    List<Row> trials = SparkTestSession.get().read().format("delta").load(store.resolve("trials").toString())
        .where("study = 'on-cluster' AND status = 'COMPLETE'").collectAsList();
    assertEquals(4, trials.size());
    Row study = SparkTestSession.get().read().format("delta").load(store.resolve("studies").toString()).first();
    assertEquals("FINISHED", study.getAs("status"));
    assertNotNull(PipelineModel.load(study.<String>getAs("model_path")));
  }

  @Test
  void sparkSubmit_exampleApplication_tunesItsPipelineThroughTheApi() throws Exception {
    Path work = SparkTestSession.tempDir("cluster-example");
    Path store = work.resolve("store");
    Process build = new ProcessBuilder(PROJECT.resolve("examples/build").toString()).directory(PROJECT.toFile())
        .redirectErrorStream(true).redirectOutput(work.resolve("build.log").toFile()).start();
    assertTrue(build.waitFor(10, TimeUnit.MINUTES) && build.exitValue() == 0,
        Files.readString(work.resolve("build.log")));
    String jar = PROJECT.resolve("target/tunelake-" + System.getProperty("tunelake.version") + ".jar").toString();
    Result submit = script(work.resolve("submit.log"), 10, "submit", "--class", "example.TuneAdult",
        "--conf", "spark.executor.memory=1g", "--jars", jar,
        PROJECT.resolve("target/examples/tunelake-example.jar").toString(),
        SparkTestSession.headOf("adult.csv", 800).toString(), store.toString());
    assertEquals(0, submit.code(), submit.output());
    assertTrue(submit.output().contains("best areaUnderROC = "), submit.output());
    assertTrue(Files.readString(PROJECT.resolve("target/local-cluster/worker-1.log"))
        .contains("Asked to launch executor"), "no executor JVM was launched");
    assertEquals(4, SparkTestSession.get().read().format("delta").load(store.resolve("trials").toString())
        .where("study = 'example-adult' AND status = 'COMPLETE'").count());
  }

  /** The executor JVMs the worker started (its child processes). */
  static List<Long> executors() throws IOException {
    long worker = Long.parseLong(Files.readString(PROJECT.resolve("target/local-cluster/worker-1.pid")).trim());
    return ProcessHandle.of(worker).map(h -> h.children().filter(c -> c.info().commandLine().orElse("")
        .contains("CoarseGrainedExecutorBackend")).map(ProcessHandle::pid).toList()).orElse(List.of());
  }

  /** How many executors the worker has been asked to launch so far. */
  static long launches() throws IOException {
    return Files.readAllLines(PROJECT.resolve("target/local-cluster/worker-1.log")).stream()
        .filter(l -> l.contains("Asked to launch executor")).count();
  }

  @Test
  void executorKilledMidStudy_studyCompletesEveryTrial() throws Exception {
    Path work = SparkTestSession.tempDir("executor-loss");
    Path store = work.resolve("store");
    Path spec = work.resolve("spec.yaml");
    Files.writeString(spec, String.join("\n",
        "study: executor-loss",
        "data: {path: '" + SparkTestSession.headOf("adult.csv", 2000) + "'}",
        "estimator: logistic_regression",
        "space:",
        "  regParam: {low: 0.001, high: 1.0, log: true}",
        "  maxIter: 20",
        "evaluation: {folds: 2}",
        "search: {algorithm: random, trials: 6, batch_size: 2}",
        ""));
    String jar = PROJECT.resolve("target/tunelake-" + System.getProperty("tunelake.version") + ".jar").toString();
    Path log = work.resolve("submit.log");
    Process submit = new ProcessBuilder(SCRIPT.toString(), "submit", "--class", "io.tunelake.cli.Main",
        "--conf", "spark.executor.memory=1g", jar, "tune", spec.toString(), "--store", store.toString())
        .directory(PROJECT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
      while (!Files.readString(log).contains("trial 1 finished") && submit.isAlive()) {
        assertTrue(System.nanoTime() < deadline, "no trial finished in time: " + Files.readString(log));
        Thread.sleep(500);
      }
      List<Long> before = executors();
      assertEquals(1, before.size(), "one executor runs the study: " + before);
      long launches = launches();
      ProcessHandle.of(before.get(0)).orElseThrow().destroyForcibly();
      assertTrue(submit.waitFor(10, TimeUnit.MINUTES), "the study did not finish after the executor was killed");
      String output = Files.readString(log);
      assertEquals(0, submit.exitValue(), output);
      assertTrue(output.contains("study 'executor-loss': 6 trials (6 complete, 0 pruned, 0 failed)"), output);
      assertTrue(launches() > launches, "the worker launched a replacement executor");
    } finally {
      submit.destroyForcibly();
    }
    assertEquals(6, SparkTestSession.get().read().format("delta").load(store.resolve("trials").toString())
        .where("status = 'COMPLETE'").count());
  }
}
