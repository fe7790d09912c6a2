package io.tunelake;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.spark.SparkPipelines;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a throwing evaluator does to a study of logistic regressions, which are fitted fused (in
 * lockstep): a trial whose score throws fails alone; a round whose every trial throws alike, or
 * that throws an {@link Error}, is not committed and ends the fit; fitting again continues.
 */
@ExtendWith(SparkTestSession.class)
class FitFailureTest {
  private static Dataset<Row> adult;

  @BeforeAll
  static void data() {
    adult = SparkTestSession.get().read().option("header", "true").option("inferSchema", "true")
        .csv(SparkTestSession.headOf("adult.csv", 1000).toString())
        .select(col("age").cast("double"), col("education_num").cast("double"), col("hours_per_week").cast("double"),
            col("label").cast("double"));
  }

  /** A user's evaluator that throws {@code failure} on the calls {@code from..to} (1-based). */
  public static final class Flaky extends BinaryClassificationEvaluator {
    private final AtomicInteger calls = new AtomicInteger();
    private int from = Integer.MAX_VALUE;
    private int to = Integer.MAX_VALUE;
    private boolean error;

    public Flaky() {
      super(Identifiable.randomUID("flaky"));
    }

    Flaky failing(int from, int to, boolean error) {
      this.from = from;
      this.to = to;
      this.error = error;
      return this;
    }

    @Override
    public double evaluate(Dataset<?> dataset) {
      int call = calls.incrementAndGet();
      if (call >= from && call <= to) {
        if (error) {
          throw new AssertionError("evaluator broken on purpose (an Error)");
        }
        throw new IllegalStateException("evaluator broken on purpose");
      }
      return super.evaluate(dataset);
    }
  }

  /** Counts the study's jobs that ran in a fused lockstep group. */
  static final class FusedJobs extends SparkListener {
    final List<String> groups = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      String group = start.properties().getProperty("spark.jobGroup.id");
      if (group != null && group.contains("-fused-")) {
        groups.add(group);
      }
    }
  }

  private static TuneLakeValidator validator(String study, String store, Flaky evaluator) {
    // Fused fits read the features from the column the spec's featurize stages write; a
    // pipeline assembling into that column takes the fused path this test is about.
    LogisticRegression lr = new LogisticRegression().setMaxIter(10).setFeaturesCol(SparkPipelines.FEATURES);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(new String[] {"age", "education_num", "hours_per_week"})
            .setOutputCol(SparkPipelines.FEATURES), lr});
    return new TuneLakeValidator().setEstimator(pipeline)
        .setSearchSpace(ParamSpace.builder().logUniform(lr.regParam(), 1e-4, 1e-1).build())
        .setEvaluator(evaluator).setNumFolds(2).setAlgorithm("random").setTrials(4).setBatchSize(2)
        .setParallelism(1).setStudy(study).setStorePath(store);
  }

  private static List<Row> trials(String store, String study) {
    return SparkTestSession.get().read().format("delta").load(store + "/trials").where(col("study").equalTo(study))
        .orderBy("trial_id").collectAsList();
  }

  @Test
  void fusedFits_oneTrialsScoreThrows_thatTrialFails_andTheStudyGoesOn() throws Exception {
    String store = SparkTestSession.tempDir("fit-failure-one").toString();
    SparkSession spark = SparkTestSession.get();
    FusedJobs jobs = new FusedJobs();
    spark.sparkContext().addSparkListener(jobs);
    try {
      validator("one-fails", store, new Flaky().failing(1, 1, false)).fit(adult);
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(jobs);
    }
    assertFalse(jobs.groups.isEmpty(), "the trials were fitted fused");
    List<Row> rows = trials(store, "one-fails");
    assertEquals(List.of(1, 2, 3, 4), rows.stream().map(r -> (int) r.getAs("trial_id")).toList());
    List<Row> failed = rows.stream().filter(r -> "FAILED".equals(r.getAs("status"))).toList();
    assertEquals(1, failed.size(), rows.toString());
    assertEquals(1, (int) failed.get(0).getAs("round"));
    String error = failed.get(0).getAs("error");
    assertTrue(error.matches("fitting fold 1/2 of trial [12] in study 'one-fails' failed: "
        + "IllegalStateException: evaluator broken on purpose"), error);
    assertEquals(3, rows.stream().filter(r -> "COMPLETE".equals(r.getAs("status"))).count(), rows.toString());
  }

  @Test
  void fusedFits_everyTrialOfARoundThrowsAlike_roundNotCommitted_fitAgainContinuesTheIds() {
    String store = SparkTestSession.tempDir("fit-failure-round").toString();
    // Round 1 scores 2 trials x 2 folds; every call of round 2 throws.
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> validator("round-fails", store, new Flaky().failing(5, Integer.MAX_VALUE, false)).fit(adult));
    assertEquals("round 2 of study 'round-fails' could not be evaluated and is abandoned, nothing of it committed: "
        + "every trial of it failed with IllegalStateException: evaluator broken on purpose; fix the cause and run the "
        + "study again: it continues with trial 3", e.getMessage());
    List<Row> roundOne = trials(store, "round-fails");
    assertEquals(List.of(1, 2), roundOne.stream().map(r -> (int) r.getAs("trial_id")).toList());

    validator("round-fails", store, new Flaky()).fit(adult);

    List<Row> rows = trials(store, "round-fails");
    assertEquals(List.of(1, 2, 3, 4), rows.stream().map(r -> (int) r.getAs("trial_id")).toList());
    assertEquals(roundOne, rows.subList(0, 2), "round 1's rows are as they were");
    assertTrue(rows.stream().allMatch(r -> "COMPLETE".equals(r.getAs("status"))), rows.toString());
  }

  @Test
  void fusedFits_anErrorAbandonsTheRound_andPropagatesAsItself() {
    String store = SparkTestSession.tempDir("fit-failure-error").toString();
    AssertionError e = assertThrows(AssertionError.class,
        () -> validator("error-round", store, new Flaky().failing(5, 5, true)).fit(adult));
    assertEquals("evaluator broken on purpose (an Error)", e.getMessage());
    assertTrue(e.getSuppressed().length == 1 && e.getSuppressed()[0].getMessage().startsWith(
        "round 2 of study 'error-round' could not be evaluated"), List.of(e.getSuppressed()).toString());
    assertEquals(List.of(1, 2), trials(store, "error-round").stream().map(r -> (int) r.getAs("trial_id")).toList());
  }
}
