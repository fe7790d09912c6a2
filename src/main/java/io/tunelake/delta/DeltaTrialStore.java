package io.tunelake.delta;

import static org.apache.spark.sql.functions.col;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.delta.tables.DeltaTable;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.space.ParamsJson;
import io.tunelake.study.FoldStats;
import io.tunelake.study.Trial;
import io.tunelake.study.TrialStore;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Delta side of {@link TrialStore}: tables {@code trials} and {@code studies} under a base
 * path. A round is committed as one MERGE keyed on {@code (study, trial_id)} that only inserts,
 * so committing the same round twice (a re-run after a crash) stores each trial once. Writers
 * that collide with another writer's commit retry with jittered exponential backoff.
 */
public final class DeltaTrialStore implements TrialStore {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaTrialStore.class);
  private static final int MAX_ATTEMPTS = 12;

  private final SparkSession spark;
  private final String base;
  private final String database;
  private final Clock clock;

  private DeltaTrialStore(SparkSession spark, String base, String database, Clock clock) {
    this.spark = spark;
    this.base = qualify(base);
    this.database = database;
    this.clock = clock;
  }

  /**
   * Opens the store under {@code base}, creating both tables if they do not exist, and, when
   * {@code database} is set, registering them in the session catalog.
   */
  public static DeltaTrialStore open(SparkSession spark, String base, String database, Clock clock) {
    DeltaTrialStore store = new DeltaTrialStore(spark, base, database, clock);
    store.ensure(store.trialsPath(), DeltaSchemas.TRIALS);
    store.ensure(store.studiesPath(), DeltaSchemas.STUDIES);
    if (database != null) {
      store.register();
    }
    return store;
  }

  /** Opens an existing store for reading; fails with a clear message when there is none. */
  public static DeltaTrialStore existing(SparkSession spark, String base) {
    DeltaTrialStore store = new DeltaTrialStore(spark, base, null, Clock.systemUTC());
    if (!DeltaTable.isDeltaTable(spark, store.trialsPath())) {
      throw new IllegalArgumentException("no TuneLake tables under '" + base + "' (expected " + store.trialsPath()
          + "); run a study first or pass --store");
    }
    return store;
  }

  /** Local paths become absolute (Delta resolves relative ones against its own working dir). */
  static String qualify(String base) {
    String trimmed = base.replaceAll("/+$", "");
    if (trimmed.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return trimmed;
    }
    return java.nio.file.Path.of(trimmed).toAbsolutePath().normalize().toString();
  }

  public String trialsPath() {
    return base + "/trials";
  }

  public String studiesPath() {
    return base + "/studies";
  }

  /** Where a study's refitted model is saved. */
  public String modelPath(String study) {
    return base + "/models/" + study;
  }

  private void ensure(String path, StructType schema) {
    retrying("create table " + path, () -> {
      DeltaTable.createIfNotExists(spark).location(path).addColumns(schema)
          .property("delta.appendOnly", "false")
          .execute();
      return null;
    });
  }

  private void register() {
    spark.sql("CREATE DATABASE IF NOT EXISTS `" + database + "`");
    for (String t : List.of("trials", "studies")) {
      String path = t.equals("trials") ? trialsPath() : studiesPath();
      spark.sql("CREATE TABLE IF NOT EXISTS `" + database + "`.`" + t + "` USING DELTA LOCATION '"
          + path + "'");
    }
  }

  @Override
  public List<Trial> history(String study) {
    List<Row> rows = spark.read().format("delta").load(trialsPath()).where(col("study").equalTo(study))
        .orderBy("trial_id").collectAsList();
    List<Trial> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(toTrial(r));
    }
    return out;
  }

  /** Every trial of the store's table as rows, for commands that print them. */
  public Dataset<Row> trials(String study) {
    return spark.read().format("delta").load(trialsPath()).where(col("study").equalTo(study)).orderBy("trial_id");
  }

  @Override
  public void commit(List<Trial> trials) {
    if (trials.isEmpty()) {
      return;
    }
    Timestamp now = Timestamp.from(clock.instant());
    List<Row> rows = new ArrayList<>();
    for (Trial t : trials) {
      rows.add(toRow(t, now));
    }
    Dataset<Row> source = spark.createDataFrame(rows, DeltaSchemas.TRIALS);
    retrying("commit " + trials.size() + " trials of study '" + trials.get(0).study() + "'", () -> {
      DeltaTable.forPath(spark, trialsPath()).as("t")
          .merge(source.as("s"), "t.study = s.study AND t.trial_id = s.trial_id")
          .whenNotMatched().insertAll()
          .execute();
      return null;
    });
  }

  /** The study's row, if it ran before. */
  public Optional<StudyRow> study(String study) {
    List<Row> rows = spark.read().format("delta").load(studiesPath()).where(col("study").equalTo(study))
        .collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(toStudy(rows.get(0)));
  }

  /** Inserts or replaces the study's row, keeping its first {@code created_at}. */
  public void saveStudy(StudyRow s) {
    Dataset<Row> source = spark.createDataFrame(List.of(toRow(s)), DeltaSchemas.STUDIES);
    Map<String, String> update = new LinkedHashMap<>();
    for (String f : DeltaSchemas.STUDIES.fieldNames()) {
      if (!f.equals("created_at")) {
        update.put(f, "s." + f);
      }
    }
    retrying("save study '" + s.study() + "'", () -> {
      DeltaTable.forPath(spark, studiesPath()).as("t")
          .merge(source.as("s"), "t.study = s.study")
          .whenMatched().updateExpr(update)
          .whenNotMatched().insertAll()
          .execute();
      return null;
    });
  }

  private <T> T retrying(String what, Supplier<T> action) {
    Random jitter = new Random();
    for (int attempt = 1; ; attempt++) {
      try {
        return action.get();
      } catch (DeltaConcurrentModificationException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw new IllegalStateException(what + " failed after " + attempt + " attempts: " + e.getMessage(), e);
        }
        long sleep = Math.min(5000, 50L << Math.min(attempt, 7)) + jitter.nextInt(100);
        LOG.info("{} collided with another writer ({}); retry {} in {} ms", what, e.getClass().getSimpleName(),
            attempt, sleep);
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(what + " was interrupted", ie);
        }
      }
    }
  }

  static Row toRow(Trial t, Timestamp committedAt) {
    Map<String, String> params = new HashMap<>();
    t.params().forEach((k, v) -> params.put(k, String.valueOf(v)));
    FoldStats s = t.stats();
    return RowFactory.create(t.study(), t.trialId(), t.round(), t.status().name(), params,
        ParamsJson.write(t.params()), t.metric(), t.foldMetrics(), nullable(s.mean()), nullable(s.std()),
        nullable(s.ciLow()), nullable(s.ciHigh()), t.foldMetrics().size(), t.budget(), t.durationMs(),
        Timestamp.from(t.startedAt()), Timestamp.from(t.finishedAt()), t.error(), committedAt);
  }

  static Trial toTrial(Row r) {
    List<Double> folds = r.getList(r.fieldIndex("fold_metrics"));
    TrialStatus status = TrialStatus.valueOf(r.getString(r.fieldIndex("status")));
    FoldStats stats = status == TrialStatus.FAILED ? FoldStats.EMPTY : FoldStats.of(folds);
    return new Trial(r.getString(r.fieldIndex("study")), r.getInt(r.fieldIndex("trial_id")),
        r.getInt(r.fieldIndex("round")), status, ParamsJson.read(r.getString(r.fieldIndex("params_json"))),
        r.getString(r.fieldIndex("metric")), folds, stats, r.getDouble(r.fieldIndex("budget")),
        r.getLong(r.fieldIndex("duration_ms")), r.getTimestamp(r.fieldIndex("started_at")).toInstant(),
        r.getTimestamp(r.fieldIndex("finished_at")).toInstant(), r.getString(r.fieldIndex("error")));
  }

  private static Row toRow(StudyRow s) {
    return RowFactory.create(s.study(), s.status(), s.estimator(), s.metric(), s.direction(), s.algorithm(),
        s.seed(), s.trialBudget(), s.folds(), s.strategy(), s.dataLocation(), s.dataFormat(), s.specYaml(),
        s.specHash(), s.trialsTotal(), s.bestTrialId(), s.bestMean(), s.bestParamsJson(), s.testMetric(),
        s.testRows(), s.modelPath(), s.wallMs(), s.tunelakeVersion(), s.sparkVersion(), ts(s.createdAt()),
        ts(s.updatedAt()));
  }

  private static StudyRow toStudy(Row r) {
    return new StudyRow(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
        r.getString(5), r.getLong(6), r.getInt(7), r.getInt(8), r.getString(9), r.getString(10), r.getString(11),
        r.getString(12), r.getString(13), (Integer) r.get(14), (Integer) r.get(15), (Double) r.get(16),
        r.getString(17), (Double) r.get(18), (Long) r.get(19), r.getString(20), (Long) r.get(21), r.getString(22),
        r.getString(23), r.getTimestamp(24).toInstant(), r.getTimestamp(25).toInstant());
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  private static Double nullable(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
