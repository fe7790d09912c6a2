package io.tunelake.delta;

import static org.apache.spark.sql.functions.col;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.delta.tables.DeltaTable;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.space.ParamsJson;
import io.tunelake.study.DataProfile;
import io.tunelake.study.FoldStats;
import io.tunelake.study.Member;
import io.tunelake.study.Trial;
import io.tunelake.study.TrialStore;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * The Delta side of {@link TrialStore}: tables {@code trials} and {@code studies} under a base
 * path. A round is committed as one append of the trials whose {@code (study, trial_id)} is not
 * stored yet, so committing the same round twice (a re-run after a crash) stores each trial
 * once. Writers that collide with another writer's commit retry with jittered exponential
 * backoff.
 */
public final class DeltaTrialStore implements TrialStore {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaTrialStore.class);
  private static final int MAX_ATTEMPTS = 12;
  /** Tables already reported as predating the partitioned layout: each is reported once. */
  private static final Set<String> PREDATES_PARTITIONING = ConcurrentHashMap.newKeySet();

  private final SparkSession spark;
  private final String base;
  private final String database;
  private final Clock clock;
  private final Lineage lineage;
  /**
   * Per study, the trial ids known to be in {@code trials}: what this store read or committed.
   * Shared by the copies {@link #withLineage} makes, as they write the same table.
   */
  private final Map<String, Set<Integer>> stored;
  /** Per study, the lease this store took: its commits of the study check it is still held. Shared like {@link #stored}. */
  private final Map<String, StudyLease> leases;

  private DeltaTrialStore(SparkSession spark, String base, String database, Clock clock, Lineage lineage,
      Map<String, Set<Integer>> stored, Map<String, StudyLease> leases) {
    this.spark = spark;
    this.base = qualify(base);
    this.database = database;
    this.clock = clock;
    this.lineage = lineage;
    this.stored = stored;
    this.leases = leases;
  }

  private DeltaTrialStore(SparkSession spark, String base, String database, Clock clock) {
    this(spark, base, database, clock, Lineage.NONE, new HashMap<>(), new ConcurrentHashMap<>());
  }

  /** The same store, stamping {@code lineage} on every trial it commits. */
  public DeltaTrialStore withLineage(Lineage lineage) {
    return new DeltaTrialStore(spark, base, database, clock, lineage, stored, leases);
  }

  /**
   * Opens the store under {@code base}, creating both tables if they do not exist, and, when
   * {@code database} is set, registering them in the session catalog.
   */
  public static DeltaTrialStore open(SparkSession spark, String base, String database, Clock clock) {
    DeltaTrialStore store = new DeltaTrialStore(spark, base, database, clock);
    store.ensure(store.trialsPath(), DeltaSchemas.TRIALS, DeltaSchemas.TRIALS_PARTITION,
        DeltaSchemas.TRIALS_PROPERTIES);
    store.ensure(store.studiesPath(), DeltaSchemas.STUDIES, null, DeltaSchemas.STUDIES_PROPERTIES);
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

  /** The table of study leases (who may write which study; see {@link StudyLease}). */
  public String leasesPath() {
    return base + "/leases";
  }

  SparkSession spark() {
    return spark;
  }

  Clock clock() {
    return clock;
  }

  /**
   * Takes the lease of {@code study} for this process: until it is closed, no other process can
   * write the study, and this store's commits of the study check that the lease is still held.
   * Throws {@link StudyLeaseException} naming the owner when another live process holds it;
   * {@code force} takes over a lease whose heartbeat is older than {@link StudyLease#STALE}.
   */
  public StudyLease lease(String study, boolean force) {
    return lease(study, force, StudyLease.Owner.self());
  }

  StudyLease lease(String study, boolean force, StudyLease.Owner owner) {
    StudyLease lease = StudyLease.acquire(this, study, force, owner);
    leases.put(study, lease);
    return lease;
  }

  /** Creates the leases table on first use. */
  void ensureLeases() {
    ensure(leasesPath(), DeltaSchemas.LEASES, DeltaSchemas.LEASES_PARTITION, DeltaSchemas.STUDIES_PROPERTIES);
  }

  /** Tells the study's lease, if this store holds it, how many of its trials are stored. */
  private void known(String study) {
    StudyLease lease = leases.get(study);
    if (lease != null) {
      lease.known(stored.get(study).size());
    }
  }

  /** Where a study's refitted model is saved. */
  public String modelPath(String study) {
    return base + "/models/" + study;
  }

  /** Where a materialised fold assignment lives. */
  public String foldsPath(String foldAssignment) {
    return base + "/folds/" + foldAssignment;
  }

  /**
   * Creates the table, or brings one an earlier build created up to this build's: adds the
   * nullable columns of {@code schema} it lacks (rows written before read them as null) and the
   * properties it does not set. Its partitioning stays as it is: partitioning by study is a
   * layout for fast reads, and the commits are right without it.
   */
  private void ensure(String path, StructType schema, String partition, Map<String, String> properties) {
    // While another writer creates the table, its log directory exists before its first commit:
    // the table is then neither creatable nor readable, and a retry finds it created.
    retrying("create table " + path, e -> isCollision(e) || hasCondition(e, "DELTA_TABLE_NOT_FOUND"), () -> {
      if (DeltaTable.isDeltaTable(spark, path)) {
        upgrade(path, schema, partition, properties);
        return null;
      }
      var builder = DeltaTable.createIfNotExists(spark).location(path).addColumns(schema);
      properties.forEach(builder::property);
      if (partition != null) {
        builder.partitionedBy(partition);
      }
      builder.execute();
      return null;
    });
  }

  private void upgrade(String path, StructType schema, String partition, Map<String, String> properties) {
    String table = "delta.`" + path + "`";
    List<StructField> missing = missingColumns(path, schema);
    if (!missing.isEmpty()) {
      List<String> notNull = missing.stream().filter(f -> !f.nullable()).map(StructField::name).toList();
      if (!notNull.isEmpty()) {
        throw new IllegalStateException("the table " + path + " lacks the columns " + notNull + ", which TuneLake "
            + "needs and cannot add to rows written before (they are NOT NULL); it was not written by TuneLake or "
            + "was altered since. Point store.path at another directory, or restore the table.");
      }
      List<String> columns = missing.stream().map(f -> "`" + f.name() + "` " + f.dataType().sql()
          + (f.getComment().isDefined() ? " COMMENT " + literal(f.getComment().get()) : "")).toList();
      try {
        spark.sql("ALTER TABLE " + table + " ADD COLUMNS (" + String.join(", ", columns) + ")");
      } catch (Exception e) {
        // Another writer opening the same store may have added them first.
        if (!(e instanceof AnalysisException) || !missingColumns(path, schema).isEmpty()) {
          throw e;
        }
      }
      LOG.info("added the columns {} to {}, which an earlier TuneLake created", missing.stream().map(
          StructField::name).toList(), path);
    }
    Row detail = DeltaTable.forPath(spark, path).detail().select("partitionColumns", "properties").first();
    Map<String, String> set = detail.getJavaMap(1);
    List<String> unset = new ArrayList<>();
    properties.forEach((k, v) -> {
      if (!set.containsKey(k)) {
        unset.add(literal(k) + " = " + literal(v));
      }
    });
    if (!unset.isEmpty()) {
      spark.sql("ALTER TABLE " + table + " SET TBLPROPERTIES (" + String.join(", ", unset) + ")");
    }
    if (partition != null && !detail.getList(0).contains(partition) && PREDATES_PARTITIONING.add(path)) {
      LOG.info("the table {} predates partitioning by {} and is used as it is: commits are unaffected, but reading "
          + "one {}'s rows scans every {}'s files; a new store gets the partitioned layout", path, partition,
          partition, partition);
    }
  }

  /** The fields of {@code schema} the table at {@code path} lacks (by name, as Spark compares them). */
  private List<StructField> missingColumns(String path, StructType schema) {
    Set<String> have = new HashSet<>();
    for (String name : spark.read().format("delta").load(path).schema().fieldNames()) {
      have.add(name.toLowerCase(Locale.ROOT));
    }
    return Arrays.stream(schema.fields()).filter(f -> !have.contains(f.name().toLowerCase(Locale.ROOT))).toList();
  }

  /** A SQL string literal. */
  static String literal(String v) {
    return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /**
   * Registers {@code trials}, {@code studies} and the {@code leaderboard} view in the session
   * catalog under {@code database}, so {@code SELECT * FROM db.trials} works from any SQL client
   * of that catalog.
   */
  private void register() {
    String db = "`" + database + "`";
    retrying("register the tables in database " + database, () -> {
      spark.sql("CREATE DATABASE IF NOT EXISTS " + db);
      spark.sql("CREATE TABLE IF NOT EXISTS " + db + ".`trials` USING DELTA LOCATION '" + trialsPath() + "'");
      spark.sql("CREATE TABLE IF NOT EXISTS " + db + ".`studies` USING DELTA LOCATION '" + studiesPath() + "'");
      spark.sql("CREATE OR REPLACE VIEW " + db + ".`leaderboard` AS " + leaderboardSql(db + ".`trials`",
          db + ".`studies`"));
      return null;
    });
  }

  /**
   * The leaderboard: every complete trial with its rank in its study (1 = best, by the
   * study's direction), the study's metric and direction beside it.
   */
  static String leaderboardSql(String trials, String studies) {
    return "SELECT t.study, RANK() OVER (PARTITION BY t.study ORDER BY CASE WHEN s.direction = 'MINIMIZE' "
        + "THEN t.mean ELSE -t.mean END) AS rank, t.trial_id, t.round, s.metric, s.direction, t.mean, t.std, "
        + "t.ci_low, t.ci_high, t.params, t.params_json, t.duration_ms, t.finished_at "
        + "FROM " + trials + " t JOIN " + studies + " s ON t.study = s.study WHERE t.status = 'COMPLETE'";
  }

  @Override
  public List<Trial> history(String study) {
    // One study's rows are few (thousands at most): sorting them here saves the read a shuffle.
    List<Row> rows = spark.read().format("delta").load(trialsPath()).where(col("study").equalTo(study))
        .collectAsList();
    List<Trial> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(toTrial(r));
    }
    out.sort(Comparator.comparingInt(Trial::trialId));
    Set<Integer> ids = new HashSet<>();
    out.forEach(t -> ids.add(t.trialId()));
    synchronized (stored) {
      stored.put(study, ids);
      known(study);
    }
    return out;
  }

  /**
   * Appends the trials not stored yet, in one Delta commit. Which ones are stored comes from
   * the study's history as this store last read it (the study loop reads it before its first
   * round) plus what it committed since; a study this store has not read yet is read once here.
   * A plain append reads nothing of the table, so it needs no snapshot state and never
   * conflicts with other writers' appends. A MERGE, or Delta's idempotent writes
   * ({@code txnAppId}/{@code txnVersion}), rebuild the snapshot state on every round: 3 to 7 s
   * at 10^6 trials (docs/BENCHMARKS.md). The price: one process writes a study at a time, as
   * the loop, which keeps its history in memory, assumes anyway.
   */
  @Override
  public void commit(List<Trial> trials) {
    // Commits of one process are serialised so that each sees the ids the previous one added.
    synchronized (stored) {
      List<Trial> fresh = new ArrayList<>();
      Map<String, Set<Integer>> added = new HashMap<>();
      for (Trial t : trials) {
        Set<Integer> known = stored.computeIfAbsent(t.study(), this::storedIds);
        if (!known.contains(t.trialId()) && added.computeIfAbsent(t.study(), s -> new HashSet<>()).add(t.trialId())) {
          fresh.add(t);
        }
      }
      if (fresh.isEmpty()) {
        return;
      }
      for (String study : added.keySet()) {
        StudyLease lease = leases.get(study);
        if (lease != null) {
          lease.checkHeld();
        }
      }
      Timestamp now = Timestamp.from(clock.instant());
      List<Row> rows = new ArrayList<>(fresh.size());
      fresh.forEach(t -> rows.add(toRow(t, now, lineage)));
      // A round is a few rows: one task writes them, one file per study.
      Dataset<Row> source = spark.createDataFrame(rows, DeltaSchemas.TRIALS).coalesce(1);
      retrying("commit " + fresh.size() + " trials of study '" + fresh.get(0).study() + "'", () -> {
        source.write().format("delta").mode("append").save(trialsPath());
        return null;
      });
      added.forEach((study, ids) -> {
        stored.get(study).addAll(ids);
        known(study);
      });
    }
  }

  /** The trial ids of {@code study} in the table now. */
  private Set<Integer> storedIds(String study) {
    Set<Integer> ids = new HashSet<>();
    spark.read().format("delta").load(trialsPath()).where(col("study").equalTo(study)).select("trial_id")
        .collectAsList().forEach(r -> ids.add(r.getInt(0)));
    return ids;
  }

  /** The input data version the study's latest committed trial was tuned on, if recorded. */
  public Optional<Long> lastDataVersion(String study) {
    List<Row> rows = spark.read().format("delta").load(trialsPath()).where(col("study").equalTo(study))
        .orderBy(col("trial_id").desc()).select("data_version").limit(1).collectAsList();
    return rows.isEmpty() || rows.get(0).isNullAt(0) ? Optional.empty() : Optional.of(rows.get(0).getLong(0));
  }

  /** The study's row, if it ran before. */
  public Optional<StudyRow> study(String study) {
    List<Row> rows = spark.read().format("delta").load(studiesPath()).where(col("study").equalTo(study))
        .collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(stored(rows.get(0)).toStudy());
  }

  /** Every study's row, ordered by name. */
  public List<StudyRow> studies() {
    return spark.read().format("delta").load(studiesPath()).orderBy(col("study")).collectAsList().stream()
        .map(r -> stored(r).toStudy()).toList();
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
          .withSchemaEvolution()
          .execute();
      return null;
    });
  }

  <T> T retrying(String what, Supplier<T> action) {
    return retrying(what, DeltaTrialStore::isCollision, action);
  }

  private <T> T retrying(String what, Predicate<Exception> collision, Supplier<T> action) {
    Random jitter = new Random();
    for (int attempt = 1; ; attempt++) {
      try {
        return action.get();
      } catch (Exception e) {
        // Spark's AnalysisException is checked for Java but thrown unchecked from Scala code.
        if (!collision.test(e)) {
          throw e;
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw new IllegalStateException(what + " failed after " + attempt + " attempts: " + e.getMessage(), e);
        }
        long sleep = Math.min(5000, 50L << Math.min(attempt, 7)) + jitter.nextInt(100);
        LOG.warn("{} collided with another writer ({}); retry {} in {} ms", what, e.getClass().getSimpleName(),
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

  /**
   * Whether {@code e} is another writer's work getting in the way: a Delta conflict, or, while
   * two writers create the same table, the second one finding the first one's log directory
   * before its first commit ("not empty and also not a Delta table"). Retrying resolves both.
   */
  static boolean isCollision(Throwable e) {
    if (e instanceof DeltaConcurrentModificationException) {
      return true;
    }
    return hasCondition(e, "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION");
  }

  private static boolean hasCondition(Throwable e, String condition) {
    return e instanceof AnalysisException a && condition.equals(a.getCondition());
  }

  static Row toRow(Trial t, Timestamp committedAt, Lineage l) {
    Map<String, String> params = new HashMap<>();
    t.params().forEach((k, v) -> params.put(k, String.valueOf(v)));
    FoldStats s = t.stats();
    Member m = t.member();
    return RowFactory.create(t.study(), t.trialId(), t.round(), t.status().name(), params,
        ParamsJson.write(t.params()), t.metric(), t.foldMetrics(), nullable(s.mean()), nullable(s.std()),
        nullable(s.ciLow()), nullable(s.ciHigh()), t.foldMetrics().size(), t.budget(), t.durationMs(),
        Timestamp.from(t.startedAt()), Timestamp.from(t.finishedAt()), t.error(), t.warning(), committedAt,
        l.dataLocation(),
        l.dataFormat(), l.dataVersion(), l.foldAssignment(), l.seed(), l.optimizer(), t.proposer(),
        l.tunelakeVersion(), l.sparkVersion(), t.secondary().isEmpty() ? null : t.secondary(), t.stageFitsReused(),
        m == null ? null : m.id(), m == null ? null : m.generation(), m == null ? null : m.parentTrialId());
  }

  static Trial toTrial(Row r) {
    return stored(r).toTrial();
  }

  /** A Spark row of either table, read by column name. */
  static StoredRow stored(Row r) {
    return column -> {
      Option<Object> i = r.schema().getFieldIndex(column);
      if (i.isEmpty() || r.isNullAt((Integer) i.get())) {
        return null;
      }
      int at = (Integer) i.get();
      DataType type = r.schema().fields()[at].dataType();
      if (type instanceof ArrayType) {
        return r.getList(at);
      }
      if (type instanceof MapType) {
        return secondary(r.getJavaMap(at));
      }
      Object v = r.get(at);
      return v instanceof Timestamp t ? t.toInstant() : v;
    };
  }

  /** The secondary metrics column (metric to its fold values) as Java lists. */
  private static Map<String, List<Double>> secondary(Map<Object, Object> m) {
    Map<String, List<Double>> out = new java.util.TreeMap<>();
    m.forEach((k, folds) -> out.put(String.valueOf(k),
        scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) folds).stream()
            .map(x -> ((Number) x).doubleValue()).toList()));
    return out;
  }

  static Row toRow(StudyRow s) {
    DataProfile p = s.profile();
    return RowFactory.create(s.study(), s.status(), s.estimator(), s.metric(), s.direction(), s.algorithm(),
        s.seed(), s.trialBudget(), s.folds(), s.strategy(), s.dataLocation(), s.dataFormat(), s.specYaml(),
        s.specHash(), s.trialsTotal(), s.bestTrialId(), s.bestMean(), s.bestParamsJson(), s.testMetric(),
        s.testRows(), s.modelPath(), s.wallMs(), s.utilisation(), s.tunelakeVersion(), s.sparkVersion(),
        ts(s.createdAt()), ts(s.updatedAt()), p == null ? null : p.rows(), p == null ? null : p.columns(),
        p == null ? null : p.stringShare(), p == null ? null : p.classBalance(), p == null ? null : p.labelSpread());
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  private static Double nullable(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
