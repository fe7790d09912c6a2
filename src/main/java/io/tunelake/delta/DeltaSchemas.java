package io.tunelake.delta;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * The schemas of the {@code trials} and {@code studies} tables (documented in docs/tables.md).
 * Columns added after the first release are nullable and sit where they read best; a table
 * created by an earlier build gains them at its end on the next write (schema evolution), so
 * rows are always read by column name, never by position.
 */
final class DeltaSchemas {
  private DeltaSchemas() {}

  static final StructType TRIALS = new StructType()
      .add("study", StringType, false, "the study the trial belongs to")
      .add("trial_id", IntegerType, false, "1, 2, ... in the order the optimizer proposed the trials")
      .add("round", IntegerType, false, "the round (batch) that proposed and committed the trial")
      .add("status", StringType, false, "COMPLETE, PRUNED or FAILED")
      .add("params", createMapType(StringType, StringType), false, "the assignment, values as strings")
      .add("params_json", StringType, false, "the assignment as a JSON object with typed values")
      .add("metric", StringType, false, "the metric's MLlib name")
      .add("fold_metrics", createArrayType(DoubleType), false, "the metric on each validation fold reached")
      .add("mean", DoubleType, true, "mean of fold_metrics; null when the trial failed")
      .add("std", DoubleType, true, "sample standard deviation of fold_metrics")
      .add("ci_low", DoubleType, true, "lower end of the 95 % confidence interval of the mean (Student t)")
      .add("ci_high", DoubleType, true, "upper end of the 95 % confidence interval of the mean")
      .add("folds_completed", IntegerType, false, "how many folds were scored")
      .add("budget", DoubleType, false, "the fidelity the trial was evaluated at; 1.0 = full")
      .add("duration_ms", LongType, false, "wall time from the trial's first fit to its last score")
      .add("started_at", TimestampType, false, "when the trial's first fit started")
      .add("finished_at", TimestampType, false, "when the trial's last fold finished")
      .add("error", StringType, true, "why a FAILED trial failed")
      .add("warning", StringType, true,
          "what looks wrong with a COMPLETE trial's model (diverged, no better than chance) and the likely cause")
      .add("committed_at", TimestampType, false, "when the round was committed")
      .add("data_location", StringType, true, "path or table of the input data the trial was tuned on")
      .add("data_format", StringType, true, "the input's format")
      .add("data_version", LongType, true, "the Delta table version read; null when the input is not Delta")
      .add("fold_assignment", StringType, true, "id of the materialised fold assignment (folds/<id> under the store)")
      .add("seed", LongType, true, "the study's seed")
      .add("optimizer", StringType, true, "the search algorithm that proposed the trial")
      // Who within the algorithm: its Sobol startup design or its model (tpe, gp, cmaes), so a
      // user sees where the model-based phase begins. Null in rows written before it existed.
      .add("proposer", StringType, true,
          "sobol-startup for the initial design, else the algorithm or model that proposed the trial")
      .add("tunelake_version", StringType, true, "the TuneLake version that ran the trial")
      .add("spark_version", StringType, true, "the Spark version that ran the trial")
      .add("secondary_metrics", createMapType(StringType, createArrayType(DoubleType)), true,
          "evaluation.also: each secondary metric on each validation fold reached")
      .add("stage_fits_reused", IntegerType, true,
          "stage fits the trial took from fits shared with other trials (the untuned prefix, cached tuned stages)")
      .add("member", IntegerType, true, "search.algorithm pbt: the population member the trial trains (0-based)")
      .add("generation", IntegerType, true, "search.algorithm pbt: the member's step of training (0-based)")
      .add("parent_trial_id", IntegerType, true,
          "search.algorithm pbt: the trial whose weights the trial started from; null in generation 0");

  /** The column the trials table is partitioned by (see docs/tables.md for why). */
  static final String TRIALS_PARTITION = "study";

  /**
   * The trials table's properties. Every round is a commit of a few rows, so a checkpoint every
   * 100 commits instead of Delta's 10 spares nine in ten of the rounds that would pay for
   * writing one, while a fresh reader replays at most 99 small JSON commits.
   */
  static final Map<String, String> TRIALS_PROPERTIES = Map.of("delta.appendOnly", "false",
      "delta.checkpointInterval", "100");

  static final Map<String, String> STUDIES_PROPERTIES = Map.of("delta.appendOnly", "false");

  /**
   * One row per study: who holds the right to write it (see {@link StudyLease}). Partitioned by
   * study, so that taking and renewing the leases of different studies never conflict.
   */
  static final StructType LEASES = new StructType()
      .add("study", StringType, false, "the study the lease is for")
      .add("run_id", StringType, false, "the run holding (or last holding) the lease")
      .add("host", StringType, false, "the host of the process running the study")
      .add("pid", LongType, false, "its process id")
      .add("process_started_at", TimestampType, true, "when that process started (tells a reused pid apart)")
      .add("acquired_at", TimestampType, false, "when the run took the lease")
      .add("heartbeat_at", TimestampType, false, "when the run last renewed the lease")
      .add("released_at", TimestampType, true, "when the run gave the lease back; null while it is held");

  static final String LEASES_PARTITION = "study";

  static final StructType STUDIES = new StructType()
      .add("study", StringType, false, "the study's name")
      .add("status", StringType, false, "RUNNING while trials are added, FINISHED after the refit")
      .add("estimator", StringType, false, "the estimator's short name")
      .add("metric", StringType, false, "the metric's MLlib name")
      .add("direction", StringType, false, "MAXIMIZE or MINIMIZE")
      .add("algorithm", StringType, false, "the search algorithm")
      .add("seed", LongType, false, "the study's seed")
      .add("trial_budget", IntegerType, false, "search.trials")
      .add("folds", IntegerType, false, "validation folds per trial")
      .add("strategy", StringType, false, "the fold strategy")
      .add("data_location", StringType, false, "path or table of the input data")
      .add("data_format", StringType, false, "the input's format")
      .add("spec_yaml", StringType, false, "the job spec as run, overrides applied")
      .add("spec_hash", StringType, false, "SHA-256 of spec_yaml")
      .add("trials_total", IntegerType, true, "trials in the table for this study")
      .add("best_trial_id", IntegerType, true, "the complete trial with the best mean")
      .add("best_mean", DoubleType, true, "its cross-validated mean")
      .add("best_params_json", StringType, true, "its assignment")
      .add("test_metric", DoubleType, true, "the refitted best pipeline's metric on the held-out rows")
      .add("test_rows", LongType, true, "how many rows were held out")
      .add("model_path", StringType, true, "where the refitted PipelineModel was saved")
      .add("wall_ms", LongType, true, "wall time of the last run of the study")
      // Null when the last run had no tuning loop, and in rows written before it was measured.
      .add("utilisation", DoubleType, true,
          "task-busy executor core time / available executor core time over the last run's tuning loop")
      .add("tunelake_version", StringType, false, "the TuneLake version that last ran the study")
      .add("spark_version", StringType, false, "the Spark version that last ran the study")
      .add("created_at", TimestampType, false, "when the study first ran")
      .add("updated_at", TimestampType, false, "when the row last changed")
      .add("data_rows", LongType, true, "training rows (held-out test rows excluded)")
      .add("data_columns", IntegerType, true, "feature columns")
      .add("string_share", DoubleType, true, "share of the feature columns that are strings")
      .add("class_balance", DoubleType, true,
          "classification: normalised entropy of the class shares (1 = balanced); null for regression")
      .add("label_spread", DoubleType, true,
          "regression: standard deviation of the label over its range; null for classification");
}
