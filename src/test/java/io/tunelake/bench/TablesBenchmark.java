package io.tunelake.bench;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;

import io.tunelake.delta.DeltaTrialStore;
import io.tunelake.delta.Lineage;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.study.FoldStats;
import io.tunelake.study.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The trials table at scale: generates {@code trials} trials spread evenly over
 * {@code studies} studies into a real store (partitioned as TuneLake creates it), then times
 * reading one study's history and committing rounds of 8 trials to it, as the study loop does.
 * Usage: {@code TablesBenchmark DIR [trials=1000000] [studies=1000] [rounds=10]}; see
 * docs/BENCHMARKS.md.
 */
public final class TablesBenchmark {
  private TablesBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).toAbsolutePath();
    long trials = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
    int studies = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    SparkSession spark = SparkSession.builder().master("local[2]").appName("tables-benchmark")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    boolean fresh = !Files.exists(dir.resolve("trials"));
    DeltaTrialStore store = DeltaTrialStore.open(spark, dir.toString(), null, Clock.systemUTC())
        .withLineage(new Lineage("bench", "csv", null, "kfold-3-bench", 42L, "random", "bench", spark.version()));
    if (fresh) {
      long t0 = System.nanoTime();
      generate(spark, store.trialsPath(), trials, studies);
      System.out.printf("generated %,d trials over %,d studies in %.1f s%n", trials, studies, secs(t0));
    }
    String study = String.format("study-%04d", studies / 2);
    int perStudy = (int) (trials / studies);
    List<Double> reads = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      long t0 = System.nanoTime();
      int n = store.history(study).size();
      reads.add(secs(t0));
      if (n < perStudy) {
        throw new IllegalStateException("history of " + study + " has " + n + " trials, expected " + perStudy);
      }
    }
    System.out.printf("history(%s), %d trials: %s s (median %.2f s)%n", study, perStudy, fmt(reads), median(reads));
    List<Double> commits = new ArrayList<>();
    int next = store.history(study).stream().mapToInt(Trial::trialId).max().orElse(0) + 1;
    for (int r = 0; r < rounds; r++) {
      List<Trial> round = new ArrayList<>();
      for (int k = 0; k < 8; k++) {
        List<Double> folds = List.of(0.80, 0.81, 0.82);
        round.add(new Trial(study, next + k, 100_000 + next / 8, TrialStatus.COMPLETE,
            Map.of("regParam", 0.01, "maxIter", 20), "random", "areaUnderROC", folds, FoldStats.of(folds), 1.0, 1000,
            Instant.now(), Instant.now(), null));
      }
      next += 8;
      long t0 = System.nanoTime();
      store.commit(round);
      commits.add(secs(t0));
    }
    System.out.printf("commit of a round of 8 trials, %d rounds: %s s (median %.2f s, mean %.2f s, max %.2f s)%n",
        rounds, fmt(commits), median(commits), commits.stream().mapToDouble(x -> x).average().orElse(0),
        commits.stream().mapToDouble(x -> x).max().orElse(0));
    List<Double> after = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      store.history(study);
      after.add(secs(t0));
    }
    System.out.printf("history(%s) after %d more rounds: %s s (median %.2f s)%n", study, rounds, fmt(after),
        median(after));
    spark.stop();
  }

  /** Appends {@code trials} generated trials, {@code trials / studies} per study, one file per study. */
  static void generate(SparkSession spark, String path, long trials, int studies) {
    Column id = col("id");
    Column trialId = id.divide(studies).cast("int").plus(1);
    Column mean = expr("0.7 + 0.2 * rand(7)");
    Dataset<Row> rows = spark.range(trials)
        .withColumn("study", format_string("study-%04d", id.mod(studies)))
        .withColumn("trial_id", trialId)
        .withColumn("round", trialId.minus(1).divide(8).cast("int").plus(1))
        .withColumn("status", expr("CASE WHEN id % 50 = 0 THEN 'FAILED' ELSE 'COMPLETE' END"))
        .withColumn("reg", expr("pow(10, -5 + 5 * rand(3))"))
        .withColumn("params", map(lit("regParam"), col("reg").cast("string"), lit("maxIter"), lit("20")))
        .withColumn("params_json", concat(lit("{\"regParam\":"), col("reg").cast("string"),
            lit(",\"maxIter\":20}")))
        .withColumn("metric", lit("areaUnderROC"))
        .withColumn("m", mean)
        .withColumn("fold_metrics", expr("CASE WHEN status = 'FAILED' THEN array() ELSE "
            + "array(m - 0.01, m, m + 0.01) END").cast("array<double>"))
        .withColumn("mean", expr("CASE WHEN status = 'FAILED' THEN NULL ELSE m END"))
        .withColumn("std", expr("CASE WHEN status = 'FAILED' THEN NULL ELSE 0.01 END"))
        .withColumn("ci_low", expr("mean - 0.0248"))
        .withColumn("ci_high", expr("mean + 0.0248"))
        .withColumn("folds_completed", expr("size(fold_metrics)"))
        .withColumn("budget", lit(1.0))
        .withColumn("duration_ms", expr("CAST(1000 + 5000 * rand(5) AS BIGINT)"))
        .withColumn("started_at", current_timestamp())
        .withColumn("finished_at", current_timestamp())
        .withColumn("error", expr("CASE WHEN status = 'FAILED' THEN 'fitting fold 1/3 failed: generated' END"))
        .withColumn("committed_at", current_timestamp())
        .withColumn("data_location", lit("bench"))
        .withColumn("data_format", lit("csv"))
        .withColumn("data_version", lit(null).cast("bigint"))
        .withColumn("fold_assignment", lit("kfold-3-bench"))
        .withColumn("seed", lit(42L))
        .withColumn("optimizer", lit("random"))
        .withColumn("proposer", lit("random"))
        .withColumn("tunelake_version", lit("bench"))
        .withColumn("spark_version", lit(spark.version()));
    org.apache.spark.sql.types.StructType schema = spark.read().format("delta").load(path).schema();
    rows.select(Arrays.stream(schema.fields()).map(f -> col(f.name()).cast(f.dataType()).as(f.name()))
            .toArray(Column[]::new))
        .repartition(col("study"))
        .write().format("delta").mode("append").save(path);
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  private static String fmt(List<Double> xs) {
    return xs.stream().map(x -> String.format("%.2f", x)).toList().toString();
  }
}
