package io.tunelake.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.delta.tables.DeltaTable;
import io.tunelake.SparkTestSession;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.study.DataProfile;
import io.tunelake.study.FoldStats;
import io.tunelake.study.Member;
import io.tunelake.study.Trial;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSession.class)
class DeltaTrialStoreTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  static Trial trial(String study, int id, int round, TrialStatus status) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("regParam", 0.01 * id);
    params.put("maxDepth", id);
    params.put("family", "binomial");
    List<Double> folds = status == TrialStatus.FAILED ? List.of() : List.of(0.8, 0.82, 0.81 + id / 1000.0);
    FoldStats stats = status == TrialStatus.FAILED ? FoldStats.EMPTY : FoldStats.of(folds);
    return new Trial(study, id, round, status, params, id == 1 ? Proposal.STARTUP : "tpe", "areaUnderROC", folds,
        stats, 1.0, 1234, T0, T0.plusSeconds(2), status == TrialStatus.FAILED ? "fitting fold 1/3 failed: boom" : null);
  }

  static DeltaTrialStore store() {
    return DeltaTrialStore.open(SparkTestSession.get(), SparkTestSession.tempDir("store").toString(), null,
        Clock.systemUTC());
  }

  @Test
  void commit_sameRoundTwice_storesEachTrialOnce() {
    DeltaTrialStore store = store();
    List<Trial> round1 = List.of(trial("a", 1, 1, TrialStatus.COMPLETE), trial("a", 2, 1, TrialStatus.FAILED));
    store.commit(round1);
    store.commit(round1);
    assertEquals(2, store.history("a").size());
    store.commit(List.of(trial("a", 2, 1, TrialStatus.FAILED), trial("a", 3, 2, TrialStatus.COMPLETE)));
    assertEquals(List.of(1, 2, 3), store.history("a").stream().map(Trial::trialId).toList());
  }

  @Test
  void commit_roundAnotherStoreCommitted_storesEachTrialOnce() {
    DeltaTrialStore first = store();
    List<Trial> round1 = List.of(trial("a", 1, 1, TrialStatus.COMPLETE), trial("a", 2, 1, TrialStatus.COMPLETE));
    first.commit(round1);
    // A second process after a crash: it has not read the study's history when it commits.
    DeltaTrialStore second = DeltaTrialStore.open(SparkTestSession.get(), first.trialsPath().replaceAll("/trials$", ""),
        null, Clock.systemUTC());
    second.commit(List.of(trial("a", 2, 1, TrialStatus.COMPLETE), trial("a", 3, 2, TrialStatus.COMPLETE)));
    assertEquals(List.of(1, 2, 3), first.history("a").stream().map(Trial::trialId).toList());
  }

  @Test
  void commit_sameTrialIdInAnotherStudy_isAnotherTrial() {
    DeltaTrialStore store = store();
    store.commit(List.of(trial("a", 1, 1, TrialStatus.COMPLETE)));
    store.commit(List.of(trial("b", 1, 1, TrialStatus.COMPLETE)));
    assertEquals(1, store.history("a").size());
    assertEquals(1, store.history("b").size());
  }

  @Test
  void history_roundTripsEveryField() {
    DeltaTrialStore store = store();
    Trial complete = trial("rt", 1, 1, TrialStatus.COMPLETE);
    Trial failed = trial("rt", 2, 1, TrialStatus.FAILED);
    store.commit(List.of(complete, failed));
    List<Trial> back = store.history("rt");
    assertEquals(complete, back.get(0));
    assertEquals(failed, back.get(1));
    assertEquals(Integer.class, back.get(0).params().get("maxDepth").getClass());
  }

  @Test
  void history_roundTripsPopulationMembers_lineageQueryableWithSql() {
    DeltaTrialStore store = store();
    Trial first = withMember(trial("pop", 1, 1, TrialStatus.COMPLETE), new Member(0, 0, null));
    Trial other = withMember(trial("pop", 2, 1, TrialStatus.COMPLETE), new Member(1, 0, null));
    Trial copied = withMember(trial("pop", 3, 2, TrialStatus.COMPLETE), new Member(0, 1, 2));
    store.commit(List.of(first, other));
    store.commit(List.of(copied));
    assertEquals(List.of(first, other, copied), store.history("pop"));
    Row r = SparkTestSession.get().sql("SELECT member, generation, parent_trial_id FROM delta.`" + store.trialsPath()
        + "` WHERE study = 'pop' AND generation = 1").first();
    assertEquals(List.of(0, 1, 2), List.of(r.getInt(0), r.getInt(1), r.getInt(2)));
  }

  static Trial withMember(Trial t, Member m) {
    return new Trial(t.study(), t.trialId(), t.round(), t.status(), t.params(), t.proposer(), t.metric(),
        t.foldMetrics(), t.stats(), t.budget(), t.durationMs(), t.startedAt(), t.finishedAt(), t.error(),
        t.secondary(), t.stageFitsReused(), t.warning(), m);
  }

  @Test
  void trialsTable_answersSqlOnParamsMap() {
    DeltaTrialStore store = store();
    store.commit(List.of(trial("sql", 1, 1, TrialStatus.COMPLETE), trial("sql", 2, 1, TrialStatus.COMPLETE),
        trial("sql", 3, 1, TrialStatus.FAILED)));
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = spark.sql("SELECT trial_id, CAST(params['regParam'] AS DOUBLE) AS reg, mean FROM delta.`"
        + store.trialsPath() + "` WHERE study = 'sql' AND status = 'COMPLETE' ORDER BY mean DESC").collectAsList();
    assertEquals(2, rows.size());
    assertEquals(2, rows.get(0).getInt(0));
    assertEquals(0.02, rows.get(0).getDouble(1), 1e-12);
    Row failed = spark.sql("SELECT error, mean FROM delta.`" + store.trialsPath() + "` WHERE status = 'FAILED'")
        .first();
    assertEquals("fitting fold 1/3 failed: boom", failed.getString(0));
    assertNull(failed.get(1));
  }

  @Test
  void saveStudy_upsertsAndKeepsCreatedAt() {
    DeltaTrialStore store = store();
    StudyRow first = new StudyRow("s", "RUNNING", "logistic_regression", "areaUnderROC", "MAXIMIZE", "random", 42, 10,
        3, "stratified", "data/x.csv", "csv", "study: s", "abc", 0, null, null, null, null, null, null, null, null,
        "dev", "4.1.0", T0, T0, null);
    store.saveStudy(first);
    StudyRow second = new StudyRow("s", "FINISHED", "logistic_regression", "areaUnderROC", "MAXIMIZE", "random", 42,
        10, 3, "stratified", "data/x.csv", "csv", "study: s", "abc", 10, 4, 0.9, "{}", 0.91, 100L, "/m", 5000L, 0.87,
        "dev", "4.1.0", T0.plusSeconds(60), T0.plusSeconds(60), new DataProfile(1000, 5, 0.4, 0.9, null));
    store.saveStudy(second);
    StudyRow back = store.study("s").orElseThrow();
    assertEquals("FINISHED", back.status());
    assertEquals(new DataProfile(1000, 5, 0.4, 0.9, null), back.profile());
    assertEquals(T0, back.createdAt());
    assertEquals(T0.plusSeconds(60), back.updatedAt());
    assertEquals(0.91, back.testMetric());
    assertEquals(0.87, back.utilisation());
    assertEquals(1, SparkTestSession.get().read().format("delta").load(store.studiesPath()).count());
  }

  @Test
  void trialsTable_saysWhoProposedEachTrial_afterTheOptimizerColumn() {
    DeltaTrialStore store = store();
    store.commit(List.of(trial("who", 1, 1, TrialStatus.COMPLETE), trial("who", 2, 1, TrialStatus.COMPLETE)));
    List<String> columns = List.of(SparkTestSession.get().read().format("delta").load(store.trialsPath()).columns());
    assertEquals(columns.indexOf("optimizer") + 1, columns.indexOf("proposer"));
    List<Row> rows = SparkTestSession.get().sql("SELECT trial_id, proposer FROM delta.`" + store.trialsPath()
        + "` ORDER BY trial_id").collectAsList();
    assertEquals("[[1,sobol-startup], [2,tpe]]", rows.toString());
    assertEquals(List.of(Proposal.STARTUP, "tpe"), store.history("who").stream().map(Trial::proposer).toList());
  }

  /** A store as an earlier build created it: without the columns added since. */
  @Test
  void storeFromAnEarlierBuild_readsUnknownThenGainsTheNewColumnsOnWrite() {
    SparkSession spark = SparkTestSession.get();
    String base = SparkTestSession.tempDir("old-store").toString();
    StructType oldTrials = without(DeltaSchemas.TRIALS, "proposer");
    StructType oldStudies = without(DeltaSchemas.STUDIES, "utilisation");
    DeltaTable.create(spark).location(base + "/trials").addColumns(oldTrials).partitionedBy("study").execute();
    DeltaTable.create(spark).location(base + "/studies").addColumns(oldStudies).execute();
    Row old = DeltaTrialStore.toRow(trial("old", 1, 1, TrialStatus.COMPLETE), Timestamp.from(T0), Lineage.NONE);
    spark.createDataFrame(List.of(drop(old, DeltaSchemas.TRIALS.fieldIndex("proposer"))), oldTrials)
        .write().format("delta").mode("append").save(base + "/trials");
    Row oldStudy = DeltaTrialStore.toRow(studyRow("old", "MAXIMIZE"));
    spark.createDataFrame(List.of(drop(oldStudy, DeltaSchemas.STUDIES.fieldIndex("utilisation"))), oldStudies)
        .write().format("delta").mode("append").save(base + "/studies");

    DeltaTrialStore store = DeltaTrialStore.open(spark, base, null, Clock.systemUTC());
    assertNull(store.history("old").get(0).proposer());
    assertNull(store.study("old").orElseThrow().utilisation());

    store.commit(List.of(trial("old", 2, 2, TrialStatus.COMPLETE)));
    assertEquals(Arrays.asList(null, "tpe"), store.history("old").stream().map(Trial::proposer).toList());
    StudyRow updated = new StudyRow("old", "FINISHED", "logistic_regression", "areaUnderROC", "MAXIMIZE", "random", 42,
        10, 3, "stratified", "data/x.csv", "csv", "study: old", "abc", 2, 1, 0.8, "{}", null, null, null, 900L, 0.5,
        "dev", "4.1.0", T0.plusSeconds(60), T0.plusSeconds(60), null);
    store.saveStudy(updated);
    store.saveStudy(studyRow("new", "MINIMIZE"));
    StudyRow back = store.study("old").orElseThrow();
    assertEquals(0.5, back.utilisation());
    assertEquals(T0, back.createdAt());
    assertNull(store.study("new").orElseThrow().utilisation());
  }

  private static StructType without(StructType schema, String column) {
    return new StructType(Arrays.stream(schema.fields()).filter(f -> !f.name().equals(column))
        .toArray(StructField[]::new));
  }

  private static Row drop(Row row, int index) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < row.length(); i++) {
      if (i != index) {
        values.add(row.get(i));
      }
    }
    return RowFactory.create(values.toArray());
  }

  @Test
  void commit_stampsLineageOnEveryRow() {
    DeltaTrialStore store = store().withLineage(new Lineage("/data/x", "delta", 7L, "stratified-3-abc", 42L,
        "tpe", "0.1.0", "4.1.0"));
    store.commit(List.of(trial("lin", 1, 1, TrialStatus.COMPLETE), trial("lin", 2, 1, TrialStatus.FAILED)));
    List<Row> rows = SparkTestSession.get().read().format("delta").load(store.trialsPath())
        .select("data_location", "data_format", "data_version", "fold_assignment", "seed", "optimizer",
            "tunelake_version", "spark_version").distinct().collectAsList();
    assertEquals(1, rows.size());
    assertEquals("[/data/x,delta,7,stratified-3-abc,42,tpe,0.1.0,4.1.0]", rows.get(0).toString());
    assertEquals(Optional.of(7L), store.lastDataVersion("lin"));
    assertEquals(Optional.empty(), store.lastDataVersion("nobody"));
  }

  @Test
  void trialsTable_isPartitionedByStudy() {
    DeltaTrialStore store = store();
    Row detail = SparkTestSession.get().sql("DESCRIBE DETAIL delta.`" + store.trialsPath() + "`").first();
    assertEquals(List.of("study"), detail.getList(detail.fieldIndex("partitionColumns")));
  }

  @Test
  void open_withDatabase_registersTablesAndARankedLeaderboardView() {
    SparkSession spark = SparkTestSession.get();
    DeltaTrialStore store = DeltaTrialStore.open(spark, SparkTestSession.tempDir("store").toString(), "tl_catalog",
        Clock.systemUTC());
    store.commit(List.of(trial("up", 1, 1, TrialStatus.COMPLETE), trial("up", 2, 1, TrialStatus.COMPLETE),
        trial("up", 3, 1, TrialStatus.FAILED), trial("down", 1, 1, TrialStatus.COMPLETE),
        trial("down", 2, 1, TrialStatus.COMPLETE)));
    store.saveStudy(studyRow("up", "MAXIMIZE"));
    store.saveStudy(studyRow("down", "MINIMIZE"));
    assertEquals(5, spark.sql("SELECT * FROM tl_catalog.trials").count());
    assertEquals(2, spark.sql("SELECT * FROM tl_catalog.studies").count());
    List<Row> board = spark.sql("SELECT study, rank, trial_id FROM tl_catalog.leaderboard ORDER BY study, rank")
        .collectAsList();
    assertEquals("[[down,1,1], [down,2,2], [up,1,2], [up,2,1]]", board.toString());
  }

  static StudyRow studyRow(String study, String direction) {
    return new StudyRow(study, "FINISHED", "logistic_regression", "areaUnderROC", direction, "random", 42, 10, 3,
        "stratified", "data/x.csv", "csv", "study: " + study, "abc", 2, 1, 0.8, "{}", null, null, null, 1234L, null,
        "dev", "4.1.0", T0, T0, new DataProfile(1000, 5, 0.2, null, 0.25));
  }

  @Test
  void open_tablesOfAnEarlierBuild_addsTheMissingColumnsAndTakesNewRounds() {
    SparkSession spark = SparkTestSession.get();
    String base = SparkTestSession.tempDir("old-store").toString();
    // trials as a build before lineage and partitioning wrote it; studies without wall_ms,
    // a column in the middle of today's schema.
    StructType oldTrials = new StructType(Arrays.copyOf(DeltaSchemas.TRIALS.fields(),
        DeltaSchemas.TRIALS.fieldIndex("data_location")));
    StructType oldStudies = new StructType(Arrays.stream(DeltaSchemas.STUDIES.fields())
        .filter(f -> !f.name().equals("wall_ms")).toArray(StructField[]::new));
    DeltaTable.create(spark).location(base + "/trials").addColumns(oldTrials).execute();
    DeltaTable.create(spark).location(base + "/studies").addColumns(oldStudies).execute();
    Row full = DeltaTrialStore.toRow(trial("old", 1, 1, TrialStatus.COMPLETE), Timestamp.from(T0), Lineage.NONE);
    Row oldRow = RowFactory.create(Arrays.copyOf(toArray(full), oldTrials.size()));
    spark.createDataFrame(List.of(oldRow), oldTrials).write().format("delta").mode("append").save(base + "/trials");

    DeltaTrialStore store = DeltaTrialStore.open(spark, base, null, Clock.systemUTC())
        .withLineage(new Lineage("/data/x", "csv", null, "kfold-3-abc", 42L, "tpe", "0.1.0", "4.1.0"));
    store.commit(List.of(trial("old", 1, 1, TrialStatus.COMPLETE), trial("old", 2, 2, TrialStatus.FAILED)));
    store.saveStudy(studyRow("old", "MAXIMIZE"));

    List<Trial> back = store.history("old");
    Trial first = trial("old", 1, 1, TrialStatus.COMPLETE);
    Trial oldFirst = new Trial(first.study(), first.trialId(), first.round(), first.status(), first.params(), null,
        first.metric(), first.foldMetrics(), first.stats(), first.budget(), first.durationMs(), first.startedAt(),
        first.finishedAt(), first.error());
    assertEquals(List.of(oldFirst, trial("old", 2, 2, TrialStatus.FAILED)), back,
        "trial 1 was written before proposers were recorded: its proposer reads as unknown");
    Dataset<Row> trials = spark.read().format("delta").load(store.trialsPath());
    assertEquals(List.of(DeltaSchemas.TRIALS.fieldNames()), List.of(trials.schema().fieldNames()));
    assertEquals("[[1,null], [2,kfold-3-abc]]", trials.orderBy("trial_id").select("trial_id", "fold_assignment")
        .collectAsList().toString());
    assertEquals(Optional.of(1234L), store.study("old").map(StudyRow::wallMs));
    Row detail = spark.sql("DESCRIBE DETAIL delta.`" + store.trialsPath() + "`").first();
    assertEquals(List.of(), detail.getList(detail.fieldIndex("partitionColumns")));
    assertEquals("100", detail.getJavaMap(detail.fieldIndex("properties")).get("delta.checkpointInterval"));
  }

  private static Object[] toArray(Row r) {
    Object[] out = new Object[r.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.get(i);
    }
    return out;
  }

  @Test
  void existing_withoutTables_saysSo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeltaTrialStore.existing(SparkTestSession.get(), SparkTestSession.tempDir("none").toString()));
    assertEquals(true, e.getMessage().startsWith("no TuneLake tables under"));
  }
}
