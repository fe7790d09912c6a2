package io.tunelake.delta;

import io.tunelake.optimize.TrialStatus;
import io.tunelake.space.ParamsJson;
import io.tunelake.study.DataProfile;
import io.tunelake.study.FoldStats;
import io.tunelake.study.Member;
import io.tunelake.study.Trial;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A row of the {@code trials} or {@code studies} table as a reader (Spark or Delta Kernel) gives
 * it, read by column name: a table an earlier build wrote may lack the newer nullable columns or
 * hold them in another order, and a column it lacks reads as null. Values come as
 * {@code String}, {@code Integer}, {@code Long}, {@code Double}, {@code Instant} (timestamps),
 * {@code List<Double>} (arrays) and {@code Map<String, List<Double>>} (the secondary metrics).
 */
interface StoredRow {

  /** The value of {@code column}; null when it is null or the table has no such column. */
  Object value(String column);

  @SuppressWarnings("unchecked")
  default <T> T get(String column) {
    return (T) value(column);
  }

  default Trial toTrial() {
    List<Double> folds = get("fold_metrics");
    TrialStatus status = TrialStatus.valueOf(get("status"));
    FoldStats stats = status == TrialStatus.FAILED ? FoldStats.EMPTY : FoldStats.of(folds);
    return new Trial(get("study"), this.<Integer>get("trial_id"), this.<Integer>get("round"), status,
        ParamsJson.read(get("params_json")), get("proposer"), get("metric"), folds, stats,
        this.<Double>get("budget"), this.<Long>get("duration_ms"), get("started_at"), get("finished_at"),
        get("error"), value("secondary_metrics") instanceof Map<?, ?> m ? this.<Map<String, List<Double>>>get(
            "secondary_metrics") : Map.of(), value("stage_fits_reused") instanceof Integer n ? n : 0,
        get("warning"), member());
  }

  /** The trial's place in its population; null outside population-based studies. */
  private Member member() {
    Integer id = get("member");
    return id == null ? null : new Member(id, this.<Integer>get("generation"), get("parent_trial_id"));
  }

  default StudyRow toStudy() {
    return new StudyRow(get("study"), get("status"), get("estimator"), get("metric"), get("direction"),
        get("algorithm"), this.<Long>get("seed"), this.<Integer>get("trial_budget"), this.<Integer>get("folds"),
        get("strategy"), get("data_location"), get("data_format"), get("spec_yaml"), get("spec_hash"),
        get("trials_total"), get("best_trial_id"), get("best_mean"), get("best_params_json"), get("test_metric"),
        get("test_rows"), get("model_path"), get("wall_ms"), get("utilisation"), get("tunelake_version"),
        get("spark_version"), this.<Instant>get("created_at"), this.<Instant>get("updated_at"), profile());
  }

  /** The study's data profile; null in rows written before it was recorded. */
  private DataProfile profile() {
    Long rows = get("data_rows");
    if (rows == null) {
      return null;
    }
    return new DataProfile(rows, this.<Integer>get("data_columns"), this.<Double>get("string_share"),
        get("class_balance"), get("label_spread"));
  }
}
