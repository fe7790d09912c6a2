package io.tunelake;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * What {@link TuneLakeValidator#fit} returns: the best trial's params refitted on every row
 * ({@link #bestModel}), its params and cross-validated score, and the study's trials as a
 * {@code Dataset} read from the Delta table. {@link #transform} is the best model's.
 *
 * <pre>{@code
 * TunedModel tuned = validator.fit(train);
 * System.out.println(tuned.bestParams() + " scored " + tuned.bestMetric());
 * tuned.trials().select("trial_id", "params", "mean").orderBy("trial_id").show();
 * tuned.front().show();                    // several objectives: the Pareto front
 * System.out.println(tuned.whyBest());     // why the refitted trial was picked
 * tuned.write().overwrite().save("/models/churn");
 * Dataset<Row> scored = TunedModel.load("/models/churn").transform(test);
 * }</pre>
 */
public final class TunedModel extends Model<TunedModel> implements MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Model<?> bestModel;
  private final ParamMap bestParams;
  private final double bestMetric;
  private final double[] avgMetrics;
  private final Summary summary;

  /**
   * The study a model came from: its name, the {@code trials} table it was read from, the
   * metric and whether larger is better, its objectives (the metric first), the trial picked,
   * the trials of its Pareto front (empty with one objective), why the pick, and the earlier
   * studies whose trials seeded the fit.
   */
  record Summary(String study, String trialsPath, String metricName, boolean largerIsBetter, List<String> objectives,
      int bestTrialId, List<Integer> front, String whyBest, List<String> warmStartStudies) {
    Summary {
      objectives = List.copyOf(objectives);
      front = List.copyOf(front);
      warmStartStudies = List.copyOf(warmStartStudies);
    }
  }

  TunedModel(String uid, Model<?> bestModel, ParamMap bestParams, double bestMetric, double[] avgMetrics,
      Summary summary) {
    this.uid = uid;
    this.bestModel = bestModel;
    this.bestParams = bestParams;
    this.bestMetric = bestMetric;
    this.avgMetrics = avgMetrics.clone();
    this.summary = summary;
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The best trial's estimator (or {@code PipelineModel}) fitted on every row given to {@code fit}. */
  public Model<?> bestModel() {
    return bestModel;
  }

  /** The best trial's params, on the stages of the tuned estimator. */
  public ParamMap bestParams() {
    return bestParams;
  }

  /** The best trial's mean metric over the folds. */
  public double bestMetric() {
    return bestMetric;
  }

  /**
   * The mean metric of each param map of the grid, in the grid's order, as
   * {@code CrossValidatorModel.avgMetrics}; empty when the study searched a {@link ParamSpace}.
   * A map the study did not finish (pruned or failed) has NaN.
   */
  public double[] avgMetrics() {
    return avgMetrics.clone();
  }

  /** The study's name in the tables. */
  public String study() {
    return summary.study();
  }

  /** The trial the study picked, whose params {@link #bestModel} was refitted with. */
  public int bestTrialId() {
    return summary.bestTrialId();
  }

  /**
   * Why the study picked {@link #bestTrialId}, as {@code tune} prints it: the best metric; the
   * best by the {@link Selection} rule among the feasible trials; or, with several objectives,
   * the knee of the front with each objective's value against the best on the front.
   */
  public String whyBest() {
    return summary.whyBest();
  }

  /** The study's objectives: its metric, then the others {@link TuneLakeValidator#setObjectives} named. */
  public List<String> objectives() {
    return summary.objectives();
  }

  /**
   * The trial ids of the Pareto front of a study of several objectives, in order: the complete,
   * feasible, full-budget trials no other such trial is at least as good as in every objective
   * and better in one. Empty for a study of one objective. As of the fit that returned the model.
   */
  public List<Integer> frontTrialIds() {
    return summary.front();
  }

  /** The rows of {@link #trials} on the Pareto front ({@link #frontTrialIds}), by trial id. */
  public Dataset<Row> front() {
    return trials().where(col("trial_id").isin(summary.front().toArray())).orderBy("trial_id");
  }

  /**
   * The earlier studies whose trials seeded the optimizer in the fit that returned this model:
   * those {@link TuneLakeValidator#setWarmStart} named, or those {@link
   * TuneLakeValidator#setWarmStartAuto} chose, most similar data first. Empty when none.
   */
  public List<String> warmStartStudies() {
    return summary.warmStartStudies();
  }

  /** The metric the study optimised. */
  public String metricName() {
    return summary.metricName();
  }

  /** Whether a larger metric is better, from the evaluator. */
  public boolean isLargerBetter() {
    return summary.largerIsBetter();
  }

  /**
   * Every trial of the study as a DataFrame, read from the {@code trials} Delta table now (a
   * study resumed since has more rows): trial_id, round, status, params, fold metrics, mean,
   * std, confidence interval, timings and lineage columns.
   */
  public Dataset<Row> trials() {
    SparkSession spark = SparkSession.active();
    return spark.read().format("delta").load(summary.trialsPath()).where(col("study").equalTo(summary.study()));
  }

  String trialsPath() {
    return summary.trialsPath();
  }

  Summary summary() {
    return summary;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    return bestModel.transform(dataset);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return bestModel.transformSchema(schema);
  }

  @Override
  public TunedModel copy(ParamMap extra) {
    TunedModel copied = new TunedModel(uid, (Model<?>) bestModel.copy(extra), bestParams.copy(), bestMetric,
        avgMetrics, summary);
    copyValues(copied, extra);
    return copied.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new ApiPersistence.ModelWriter(this);
  }

  @Override
  public void save(String path) throws java.io.IOException {
    write().save(path);
  }

  /** Reads a model saved with {@link #save}. */
  public static MLReader<TunedModel> read() {
    return new ApiPersistence.ModelReader();
  }

  /** Loads a model saved with {@link #save}: the best model, its params, metrics and study. */
  public static TunedModel load(String path) {
    return read().load(path);
  }
}
