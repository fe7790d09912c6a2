package io.tunelake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunelake.cli.Main;
import io.tunelake.delta.DeltaTrialStore;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.spark.SparkData;
import io.tunelake.spark.SparkFolds;
import io.tunelake.spark.SparkMetrics;
import io.tunelake.spark.SparkPipelines;
import io.tunelake.spark.SparkStudyPlan;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.JobSpecParser;
import io.tunelake.study.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * TuneLake against Spark's {@code CrossValidator} on the same data, pipeline, grid, folds and
 * parallelism, in one JVM: (1) TuneLake grid without pruning, (2) CrossValidator with
 * {@code foldCol} set to the fold assignment TuneLake materialised in (1), so both score every
 * configuration on the same rows, (3) TuneLake grid with pruning, (4) TuneLake {@code bayes} over
 * the grid's ranges with the same trial budget, (5) CrossValidator again with twice the
 * parallelism, for reference.
 *
 * <p>Like for like, both clocks run from training rows already cached with their fold column to
 * the refitted best model: CrossValidator's is its {@code fit} (refit included); TuneLake's is
 * its featurize, rounds and refit phases ({@code phases_ms}: fitting each fold's featurization
 * and caching the folds, every round with its Delta commit, the refit with its held-out score
 * and saved model). Whole commands are compared too: the {@code tune} command (reading the data,
 * the split, computing and storing the fold assignment, the study rows and the report besides)
 * against CrossValidator's read of the same rows with their stored fold column plus its
 * {@code fit}. Each TuneLake contender runs in its own store, so each computes and stores its
 * own fold assignment and none reads another's scratch files. Before anything is timed, a
 * two-point TuneLake study and a two-point CrossValidator warm up the JVM, Spark, Delta and the
 * JIT for both. Per contender it prints how many trials were pruned and how many fold fits that
 * saved (the folds pruned trials never fitted).
 *
 * <p>Usage: {@code CrossValidatorBenchmark OUT_DIR DATA_PATH FORMAT LABEL lr|gbt|rf [parallelism=2]
 * [reference=yes|no]}; {@code no} skips the reference CrossValidator at twice the parallelism.
 * Prints one line per run, the ratios to CrossValidator and a {@code summary:} line.
 */
public final class CrossValidatorBenchmark {
  private static final double SAME_METRIC = 0.002;
  private static final int FOLDS = 3;

  private CrossValidatorBenchmark() {}

  /** A pipeline's grid: the estimator, its fixed params, the grid axes, and the bayes space over them. */
  record Grid(String estimator, Map<String, Object> fixed, Map<String, List<Object>> axes, String bayesSpace) {
    int size() {
      return axes.values().stream().mapToInt(List::size).reduce(1, (a, b) -> a * b);
    }
  }

  static final Grid LR = new Grid("logistic_regression", Map.of("maxIter", 50),
      linked("regParam", List.of(1e-3, 1e-2, 1e-1, 1.0), "elasticNetParam", List.of(0.0, 0.5, 1.0)),
      "  regParam: {low: 1.0e-3, high: 1.0, log: true}\n  elasticNetParam: {low: 0.0, high: 1.0}\n  maxIter: 50\n");

  static final Grid GBT = new Grid("gbt_classifier", Map.of(),
      linked("maxDepth", List.of(2, 4, 6), "stepSize", List.of(0.1, 0.3), "maxIter", List.of(10, 20),
          "minInstancesPerNode", List.of(1, 50)),
      "  maxDepth: {low: 2, high: 6}\n  stepSize: {low: 0.1, high: 0.3, log: true}\n  maxIter: {low: 10, high: 20}\n"
          + "  minInstancesPerNode: {low: 1, high: 50, log: true}\n");

  static final Grid RF = new Grid("random_forest_classifier", Map.of(),
      linked("maxDepth", List.of(4, 6, 8), "numTrees", List.of(10, 30), "minInstancesPerNode", List.of(1, 50),
          "subsamplingRate", List.of(0.7, 1.0)),
      "  maxDepth: {low: 4, high: 8}\n  numTrees: {low: 10, high: 30}\n"
          + "  minInstancesPerNode: {low: 1, high: 50, log: true}\n  subsamplingRate: {low: 0.7, high: 1.0}\n");

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]).toAbsolutePath();
    String data = Path.of(args[1]).toAbsolutePath().toString();
    String format = args[2];
    String label = args[3];
    Grid grid = switch (args[4]) {
      case "gbt" -> GBT;
      case "rf" -> RF;
      default -> LR;
    };
    int parallelism = args.length > 5 ? Integer.parseInt(args[5]) : 2;
    boolean reference = args.length <= 6 || !args[6].equals("no");
    Files.createDirectories(out);

    String base = String.format(Locale.ROOT, "data:\n  path: %s\n  format: %s\n  label: %s\n  test_fraction: 0.2\n"
        + "featurize:\n  encoding: onehot\n  scaling: none\nestimator: %s\nevaluation:\n  metric: areaUnderROC\n"
        + "  strategy: stratified\n  folds: 3\n", data, format, label, grid.estimator());
    String gridSpace = gridSpace(grid);
    // TuneLake runs its default concurrency (two fits per task slot); CrossValidator runs with
    // `parallelism`, and with twice that for reference.
    String search = "search:\n  seed: 42\n  trials: " + grid.size() + "\n";

    System.out.printf("data %s, %s grid of %d points, 3 stratified folds, CrossValidator parallelism %d, TuneLake "
        + "default concurrency%n", data, grid.estimator(), grid.size(), parallelism);
    // Warm up the JVM, the SparkSession, Delta and the JIT on both contenders' code before any is
    // timed: every run then starts from the same warm session, as in a long-lived job.
    tune(out, "warm-up", base + gridSpace(grid, 2) + "search:\n  seed: 42\n  trials: 2\n  algorithm: grid\n");
    SparkSession spark = SparkSession.active();
    crossValidator(spark, store(out, "warm-up"), grid, 2, base, gridSpace, parallelism);

    // Each TuneLake contender has its own store, so each computes and stores its fold assignment
    // and none profits from another's; CrossValidator reads the grid's.
    Run plain = tune(out, "grid", base + gridSpace + search + "  algorithm: grid\n  batch_size: " + grid.size()
        + "\n  pruning: false\n");
    Run cv = crossValidator(spark, store(out, "grid"), grid, grid.size(), base, gridSpace, parallelism);
    Run pruned = tune(out, "pruned", base + gridSpace + search + "  algorithm: grid\n  batch_size: " + grid.size()
        + "\n  pruning: true\n");
    Run bayes = tune(out, "bayes", base + "space:\n" + grid.bayesSpace() + search
        + "  algorithm: bayes\n  batch_size: " + parallelism * 2 + "\n  pruning: true\n");
    Run cvWide = reference ? crossValidator(spark, store(out, "grid"), grid, grid.size(), base, gridSpace,
        2 * parallelism) : null;

    // Like for like, bayes's clock starts where its featurize phase does, as the others' do.
    double reach = timeToReach(spark, store(out, "bayes"), "bayes", bayes.start().plusMillis(bayes.dataMs()), cv.best() - SAME_METRIC);
    System.out.println();
    System.out.printf("%-34s %9s %6s %9s %6s %7s %10s  %s%n", "contender", "like-for-like s", "ratio", "whole s",
        "ratio", "pruned", "fits saved", "best, configuration, cores busy");
    for (Run r : reference ? List.of(cv, plain, pruned, bayes, cvWide) : List.of(cv, plain, pruned, bayes)) {
      System.out.printf(Locale.ROOT, "%-34s %9.1f %6.3f %9.1f %6.3f %7s %10s  %.4f %s%s%n", r.name(), r.seconds(),
          r.seconds() / cv.seconds(), r.whole(), r.whole() / cv.whole(), r.pruned() < 0 ? "" : r.pruned(),
          r.pruned() < 0 ? "" : r.foldsSaved(), r.best(), r.params(),
          r.utilisation() == null ? "" : String.format(Locale.ROOT, "  %.0f %%", 100 * r.utilisation()));
    }
    System.out.printf(Locale.ROOT, "whole command: grid %.3f, pruned %.3f of CrossValidator's read + fit + refit "
        + "(%.1f s)%n", plain.whole() / cv.whole(), pruned.whole() / cv.whole(), cv.whole());
    System.out.printf(Locale.ROOT, "bayes reached %.4f (CrossValidator's best - %.3f) after %s%n", cv.best() - SAME_METRIC,
        SAME_METRIC, Double.isNaN(reach) ? "never" : String.format(Locale.ROOT, "%.1f s (%.3fx CV)", reach,
            reach / cv.seconds()));
    System.out.printf(Locale.ROOT, "same best configuration: grid %s, pruned %s; |best - CV best|: grid %.4f, pruned %.4f%n",
        sameConfig(plain, cv), sameConfig(pruned, cv), Math.abs(plain.best() - cv.best()),
        Math.abs(pruned.best() - cv.best()));
    System.out.printf(Locale.ROOT, "summary: grid=%.3f pruned=%.3f bayes=%s utilisation=%s%n",
        plain.seconds() / cv.seconds(), pruned.seconds() / cv.seconds(),
        Double.isNaN(reach) ? "inf" : String.format(Locale.ROOT, "%.3f", reach / cv.seconds()),
        plain.utilisation() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", plain.utilisation()));
  }

  /**
   * One contender: its like-for-like seconds, the whole command's (TuneLake only), the time its
   * data phase took, best cross-validated metric and configuration, and its cores-busy fraction.
   */
  record Run(String name, Instant start, double seconds, double whole, long dataMs, double best,
      Map<String, Object> params, Double utilisation, int pruned, int foldsSaved) {}

  private static Path store(Path out, String study) {
    return out.resolve("store-" + study);
  }

  private static Run tune(Path out, String name, String spec) throws Exception {
    Path file = out.resolve(name + ".yaml");
    Files.writeString(file, "study: " + name + "\n" + spec + "store:\n  path: " + store(out, name) + "\n");
    Path summary = out.resolve(name + ".json");
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    int code = Main.run("tune", file.toString(), "--master", "local[2]", "--summary-json", summary.toString());
    double secs = (System.nanoTime() - t0) / 1e9;
    if (code != 0) {
      throw new IllegalStateException("tune " + file + " exited with " + code);
    }
    JsonNode json = new ObjectMapper().readTree(summary.toFile());
    JsonNode best = json.get("best");
    Map<String, Object> params = new ObjectMapper().convertValue(best.get("params"), Map.class);
    Double utilisation = json.hasNonNull("utilisation") ? json.get("utilisation").asDouble() : null;
    JsonNode phases = json.get("phases_ms");
    double like = (phases.get("featurize").asLong() + phases.get("rounds").asLong() + phases.get("refit").asLong()) / 1e3;
    // What pruning saved: the folds a pruned trial never fitted.
    int pruned = 0;
    int saved = 0;
    DeltaTrialStore store = DeltaTrialStore.open(SparkSession.active(), store(out, name).toString(), null,
        Clock.systemUTC());
    for (Trial t : store.history(name)) {
      if (t.status() == TrialStatus.PRUNED) {
        pruned++;
        saved += FOLDS - t.foldMetrics().size();
      }
    }
    System.out.printf(Locale.ROOT, "%s: %.1f s (featurize + rounds + refit), %.1f s the whole command, %s trials by "
        + "status, %d fold fits saved by pruning, best %.4f%n", name, like, secs, json.get("trials_by_status"), saved,
        best.get("mean").asDouble());
    return new Run("tunelake " + name, start, like, secs, phases.get("data").asLong(), best.get("mean").asDouble(),
        params, utilisation, pruned, saved);
  }

  /** CrossValidator over the first {@code points} of the grid, on the fold assignment stored in {@code store}. */
  private static Run crossValidator(SparkSession spark, Path store, Grid grid, int points, String base,
      String gridSpace, int parallelism) throws Exception {
    long read = System.nanoTime();
    JobSpec spec = JobSpecParser.parse("study: cv\n" + base + gridSpace, List.of());
    Dataset<Row> raw = SparkData.load(spark, spec.data());
    SparkStudyPlan plan = SparkStudyPlan.resolve(spec, raw);
    Path folds;
    try (Stream<Path> s = Files.list(store.resolve("folds"))) {
      folds = s.findFirst().orElseThrow();
    }
    // The rows and folds TuneLake's grid run materialised, so both score the same fold splits,
    // in the layout TuneLake caches its folds in (one partition per million rows): the same rows
    // in the same order, so estimators that sample rows (tree ensembles bin features on a
    // sample) fit the same models, and neither contender pays for more tasks than the other.
    Dataset<Row> stored = spark.read().format("delta").load(folds.toString());
    long rows = stored.count();
    int partitions = (int) Math.max(1, (rows + 999_999) / 1_000_000);
    Dataset<Row> assigned = (partitions < stored.rdd().getNumPartitions() ? stored.coalesce(partitions) : stored)
        .persist(StorageLevel.MEMORY_AND_DISK());
    assigned.count();

    Map<String, Object> first = new LinkedHashMap<>(grid.fixed());
    grid.axes().forEach((k, v) -> first.put(k, v.get(0)));
    Pipeline pipeline = plan.pipeline().pipeline(first, 0, plan.numClasses());
    PipelineStage[] stages = pipeline.getStages();
    Estimator<?> estimator = (Estimator<?>) stages[stages.length - 1];
    ParamGridBuilder builder = new ParamGridBuilder();
    grid.axes().forEach((name, values) -> addAxis(builder, estimator.getParam(name), values));
    ParamMap[] maps = java.util.Arrays.copyOf(builder.build(), points);
    CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(maps)
        .setEvaluator(plan.pipeline().evaluator())
        .setFoldCol(SparkFolds.FOLD).setNumFolds(plan.folds()).setParallelism(parallelism).setSeed(42);
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    CrossValidatorModel model = cv.fit(assigned);
    long t1 = System.nanoTime();
    double secs = (t1 - t0) / 1e9;
    double whole = (t1 - read) / 1e9;
    double[] metrics = model.avgMetrics();
    int best = 0;
    for (int i = 1; i < metrics.length; i++) {
      if (metrics[i] > metrics[best]) {
        best = i;
      }
    }
    Map<String, Object> params = new LinkedHashMap<>();
    for (String name : grid.axes().keySet()) {
      params.put(name, maps[best].apply(estimator.getParam(name)));
    }
    System.out.printf(Locale.ROOT, "CrossValidator (parallelism %d, %d points): %.1f s on %,d training rows (%.1f s with "
        + "reading them), best %.4f%n", parallelism, points, secs, rows, whole, metrics[best]);
    assigned.unpersist();
    return new Run("CrossValidator, parallelism " + parallelism, start, secs, whole, 0, metrics[best], params, null,
        -1, -1);
  }

  @SuppressWarnings("unchecked")
  private static void addAxis(ParamGridBuilder builder, Param<?> param, List<Object> values) {
    builder.addGrid((Param<Object>) param, scala.jdk.javaapi.CollectionConverters.asScala(values).toSeq());
  }

  /** Seconds from {@code start} until the study first finished a complete trial at or above {@code target}. */
  private static double timeToReach(SparkSession spark, Path storePath, String study, Instant start, double target) {
    DeltaTrialStore store = DeltaTrialStore.open(spark, storePath.toString(), null, Clock.systemUTC());
    Instant reached = null;
    for (Trial t : store.history(study)) {
      if (t.status() == TrialStatus.COMPLETE && t.value() >= target
          && (reached == null || t.finishedAt().isBefore(reached))) {
        reached = t.finishedAt();
      }
    }
    return reached == null ? Double.NaN : Duration.between(start, reached).toMillis() / 1000.0;
  }

  private static String sameConfig(Run r, Run cv) {
    for (Map.Entry<String, Object> e : cv.params().entrySet()) {
      Object mine = r.params().get(e.getKey());
      if (mine == null || ((Number) mine).doubleValue() != ((Number) e.getValue()).doubleValue()) {
        return "no";
      }
    }
    return "yes";
  }

  private static String gridSpace(Grid grid) {
    return gridSpace(grid, Integer.MAX_VALUE);
  }

  /** The grid as a space, each axis cut to its first {@code values}. */
  private static String gridSpace(Grid grid, int values) {
    StringBuilder sb = new StringBuilder("space:\n");
    grid.fixed().forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
    grid.axes().forEach((k, v) -> sb.append("  ").append(k).append(": {values: ")
        .append(v.subList(0, Math.min(values, v.size()))).append("}\n"));
    return sb.toString();
  }

  private static Map<String, List<Object>> linked(Object... kv) {
    Map<String, List<Object>> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<Object> values = (List<Object>) kv[i + 1];
      m.put((String) kv[i], values);
    }
    return m;
  }
}
