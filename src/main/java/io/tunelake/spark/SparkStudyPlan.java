package io.tunelake.spark;

import io.tunelake.optimize.Direction;
import io.tunelake.space.SearchSpace;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.SpecException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A job spec checked against the stage and estimator allow-lists and the data's schema: the
 * task, the {@link StudyPipeline} with its typed search space and evaluator, the fold strategy,
 * and which columns are numeric, string or vector features. Everything here is decided before
 * any tuning job runs; only the data checks (schema inference, emptiness, label classes) touch
 * the data.
 */
public record SparkStudyPlan(
    JobSpec spec,
    Task task,
    StudyPipeline pipeline,
    String strategy,
    Columns columns,
    int numClasses) {

  /** The columns a study uses, by role. */
  public record Columns(String label, List<String> numeric, List<String> strings, List<String> vectors,
      String group, String order) {
    public Columns {
      numeric = List.copyOf(numeric);
      strings = List.copyOf(strings);
      vectors = List.copyOf(vectors);
    }

    /** The columns a study reads: features, label, group and order, each once, in that order. */
    public List<String> used() {
      Set<String> cols = new LinkedHashSet<>(features());
      for (String c : java.util.Arrays.asList(label, group, order)) {
        if (c != null) {
          cols.add(c);
        }
      }
      return List.copyOf(cols);
    }

    /** Every feature column, in the order they are assembled. */
    public List<String> features() {
      List<String> all = new ArrayList<>(numeric);
      all.addAll(strings);
      all.addAll(vectors);
      return all;
    }
  }

  /** What can be checked with no data at all: the stages, the estimators, the space, the metric, the strategy. */
  public record Static(Task task, SearchSpace space) {}

  /** The typed search space. */
  public SearchSpace space() {
    return pipeline.space();
  }

  /** The objective's name. */
  public String metric() {
    return pipeline.metric();
  }

  /** The objective's direction. */
  public Direction direction() {
    return pipeline.direction();
  }

  /** A copy that tunes {@code pipeline} instead (the same data, folds and settings). */
  public SparkStudyPlan withPipeline(StudyPipeline pipeline) {
    return new SparkStudyPlan(spec, task, pipeline, strategy, columns, numClasses);
  }

  /** Checks the parts of {@code spec} that depend on the stages and estimators but not on the data. */
  public static Static checkStatic(JobSpec spec) {
    StudyPipeline pipeline = StudyPipeline.checkSpec(spec);
    Task task = task(spec);
    String metric = spec.evaluation().metric();
    SparkMetrics.checkObjectives(spec.estimator(), task, spec.evaluation().objectives());
    if (metric != null) {
      SparkMetrics.check(spec.estimator(), task, metric);
    }
    if (spec.evaluation().evaluator() != null) {
      SparkMetrics.evaluator(spec.evaluation().evaluator(), task, null, SparkPipelines.FEATURES);
    }
    SparkMetrics.checkAlso(spec.estimator(), task, spec.evaluation().also());
    String strategy = spec.evaluation().strategy();
    if ("stratified".equals(strategy) && task != Task.CLASSIFICATION) {
      throw new SpecException("evaluation.strategy", "'stratified' needs class labels, but " + spec.estimator()
          + " is a " + task.name().toLowerCase() + " estimator; expected one of [kfold, group, time, holdout]");
    }
    if (task == Task.RECOMMENDATION && spec.data().features().size() != 2) {
      throw new SpecException("data.features", "ALS needs exactly two columns, the user and the item id, "
          + "but got " + spec.data().features());
    }
    return new Static(task, pipeline.space());
  }

  /** The task of the candidate estimators, which must share one. */
  private static Task task(JobSpec spec) {
    Task task = SparkEstimators.task(spec.estimators().get(0).stage());
    for (int i = 1; i < spec.estimators().size(); i++) {
      String name = spec.estimators().get(i).stage();
      Task t = SparkEstimators.task(name);
      if (t != task) {
        throw new SpecException("estimator.choice[" + i + "]", "candidate '" + name + "' is a "
            + t.name().toLowerCase() + " estimator, but '" + spec.estimators().get(0).stage() + "' is a "
            + task.name().toLowerCase() + " one; expected candidates that fit the same label");
      }
    }
    return task;
  }

  /**
   * Resolves the plan against {@code data}: columns exist and have usable types, every stage
   * finds its input columns in the data or an earlier stage's output, the data has rows, and a
   * classifier's label holds class indices.
   */
  public static SparkStudyPlan resolve(JobSpec spec, Dataset<Row> data) {
    Static s = checkStatic(spec);
    // Emptiness first where the label is not numeric: an empty CSV infers every column as string,
    // which would misreport the label. A numeric label's data is checked for rows by checkRows.
    if (!SparkData.labelIsNumeric(spec, s.task(), data) && data.isEmpty()) {
      throw SparkData.noRows(spec);
    }
    SparkData.checkLabelType(spec, s.task(), data);
    Columns columns = columns(spec, s.task(), data.schema());
    String strategy = spec.evaluation().strategy() != null ? spec.evaluation().strategy()
        : s.task() == Task.CLASSIFICATION ? "stratified" : "kfold";
    int classes = SparkData.checkRows(spec, s.task(), data, columns, strategy,
        strategy.equals("holdout") ? 1 : spec.evaluation().folds());
    StudyPipeline unscored = StudyPipeline.fromSpec(spec, columns);
    Evaluator evaluator;
    if (spec.evaluation().evaluator() != null) {
      evaluator = SparkMetrics.evaluator(spec.evaluation().evaluator(), s.task(), columns.label(),
          unscored.featuresCol());
    } else {
      String metric = spec.evaluation().metric() != null ? spec.evaluation().metric()
          : SparkMetrics.defaultMetric(s.task(), classes == 2);
      evaluator = SparkMetrics.evaluator(s.task(), metric, columns.label(), unscored.featuresCol());
    }
    StudyPipeline pipeline = unscored.withEvaluator(evaluator,
        recorded(spec, spec.evaluation().measured(SparkMetrics.metricOf(evaluator))));
    if (s.task() == Task.CLASSIFICATION) {
      SparkMetrics.checkClasses(pipeline.metric(), classes);
    }
    checkColumns(spec, pipeline, data.schema());
    return new SparkStudyPlan(spec, s.task(), pipeline, strategy, columns, classes);
  }

  /**
   * The plan of a study the API describes: the user's {@code pipeline} (its evaluator set) over
   * every column of {@code data}. The label is the evaluator's {@code labelCol}, else the
   * estimator's; the strategy is {@code settings}' or the task's default. Checking a
   * classifier's label classes and rows ({@link SparkData#checkRows}) is the only Spark job here.
   */
  public static SparkStudyPlan of(JobSpec settings, StudyPipeline pipeline, Dataset<Row> data) {
    Task task = pipeline.task();
    String label = labelOf(pipeline);
    JobSpec.Evaluation e = settings.evaluation();
    List<String> others = new ArrayList<>(List.of(data.columns()));
    others.remove(label);
    others.remove(e.groupColumn());
    others.remove(e.orderColumn());
    Columns columns = new Columns(label, others, List.of(), List.of(), e.groupColumn(), e.orderColumn());
    boolean classes = task == Task.CLASSIFICATION && label != null;
    String strategy = e.strategy() != null ? e.strategy() : classes ? "stratified" : "kfold";
    // The objectives, constraints and rule's other metrics are measured per fold, as a spec's are.
    List<String> measured = new ArrayList<>(pipeline.also());
    e.measured(pipeline.metric()).stream().filter(m -> !measured.contains(m)).forEach(measured::add);
    StudyPipeline recording = pipeline.withEvaluator(pipeline.evaluator(), recorded(settings, measured));
    return new SparkStudyPlan(settings, task, recording, strategy, columns, classes
        ? SparkData.checkRows(settings, task, data, columns, strategy, strategy.equals("holdout") ? 1 : e.folds())
        : 0);
  }

  /**
   * The secondary metrics each fold records: {@code also}, and {@value SparkMetrics#FIT_SECONDS}
   * when the search is cost-aware, since the optimizer's fit-time model learns from it and a
   * data engineer should find in the trial rows what that model saw.
   */
  static List<String> recorded(JobSpec spec, List<String> also) {
    Object costAware = spec.search().options().get("cost_aware");
    boolean on = Boolean.TRUE.equals(costAware) || "true".equals(costAware);
    if (!on || also.contains(SparkMetrics.FIT_SECONDS)) {
      return also;
    }
    List<String> out = new ArrayList<>(also);
    out.add(SparkMetrics.FIT_SECONDS);
    return out;
  }

  /** The label column the evaluator (else the estimator) reads; null when neither says. */
  private static String labelOf(StudyPipeline pipeline) {
    for (org.apache.spark.ml.param.Params p : List.of(pipeline.evaluator(), pipeline.families().get(0).estimator())) {
      if (p.hasParam("labelCol")) {
        return String.valueOf(p.getOrDefault(p.getParam("labelCol")));
      }
    }
    return null;
  }

  /**
   * Runs every stage's {@code transformSchema} over the data's schema (no Spark job): each
   * stage's input columns must be in the data or an earlier stage's output, and the estimators
   * must find their features and label.
   */
  private static void checkColumns(JobSpec spec, StudyPipeline pipeline, StructType schema) {
    for (int f = 0; f < pipeline.families().size(); f++) {
      Map<String, Object> params = pipeline.sample(f);
      StructType at = schema;
      for (int i = 0; i < pipeline.stages().size(); i++) {
        StudyPipeline.Stage stage = pipeline.stages().get(i);
        String field = spec.pipeline().isEmpty() ? "featurize" : "pipeline[" + i + "]";
        at = transformed(field, stage.name(), pipeline.configured(i, params), at);
      }
      String field = pipeline.families().size() == 1 ? "estimator" : "estimator.choice[" + f + "]";
      transformed(field, pipeline.families().get(f).name(), pipeline.estimator(params, 2, 2), at);
    }
  }

  private static StructType transformed(String field, String name, PipelineStage stage, StructType schema) {
    try {
      return stage.transformSchema(schema);
    } catch (RuntimeException e) {
      throw new SpecException(field, "stage '" + name + "' (" + stage.getClass().getSimpleName() + ") does not fit "
          + "the columns before it: " + SparkData.firstLine(String.valueOf(e.getMessage())) + "; expected its input "
          + "columns among " + List.of(schema.fieldNames()));
    }
  }

  /** The study's metric of a model's predictions. */
  double score(Dataset<Row> predictions) {
    return pipeline.score(predictions);
  }

  /** How many folds the strategy yields. */
  public int folds() {
    return strategy.equals("holdout") ? 1 : spec.evaluation().folds();
  }

  private static Columns columns(JobSpec spec, Task task, StructType schema) {
    Set<String> names = new LinkedHashSet<>(List.of(schema.fieldNames()));
    JobSpec.Data d = spec.data();
    String label = d.label();
    boolean needsLabel = task != Task.CLUSTERING;
    if (needsLabel) {
      requireColumn(names, "data.label", label, spec);
    }
    String group = spec.evaluation().groupColumn();
    String order = spec.evaluation().orderColumn();
    if (group != null) {
      requireColumn(names, "evaluation.group_column", group, spec);
    }
    if (order != null) {
      requireColumn(names, "evaluation.order_column", order, spec);
    }
    List<String> features = d.features();
    if (features.isEmpty()) {
      features = new ArrayList<>(names);
      features.remove(label);
      features.remove(group);
      features.remove(order);
    }
    if (features.isEmpty()) {
      throw new SpecException("data.features", "no feature column is left in '" + d.location()
          + "' besides the label; expected at least one");
    }
    List<String> numeric = new ArrayList<>();
    List<String> strings = new ArrayList<>();
    List<String> vectors = new ArrayList<>();
    for (String f : features) {
      requireColumn(names, "data.features", f, spec);
      StructField field = schema.apply(f);
      DataType t = field.dataType();
      if (task == Task.RECOMMENDATION) {
        if (!(t instanceof NumericType)) {
          throw SpecException.expected("data.features", "integer user and item ids, but column '" + f + "' is "
              + t.simpleString() + ";", f);
        }
        numeric.add(f);
      } else if (t instanceof NumericType || t.equals(DataTypes.BooleanType)) {
        numeric.add(f);
      } else if (t.equals(DataTypes.StringType)) {
        strings.add(f);
      } else if (t.equals(SQLDataTypes.VectorType())) {
        vectors.add(f);
      } else {
        throw SpecException.expected("data.features", "numeric, string or vector columns, but column '" + f
            + "' is " + t.simpleString() + ";", f);
      }
    }
    return new Columns(needsLabel ? label : (names.contains(label) ? label : null), numeric, strings, vectors,
        group, order);
  }

  private static void requireColumn(Set<String> names, String field, String column, JobSpec spec) {
    if (!names.contains(column)) {
      throw SpecException.unknown(field, "column in '" + spec.data().location() + "':", column, names);
    }
  }
}
