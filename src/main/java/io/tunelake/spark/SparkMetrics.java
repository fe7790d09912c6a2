package io.tunelake.spark;

import io.tunelake.optimize.Direction;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.ObjectivesSpec;
import io.tunelake.study.ParetoGoals;
import io.tunelake.spec.SpecException;
import io.tunelake.spec.StageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.ClassificationModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The metrics a study can optimise: every metric of MLlib's evaluators that fits the task.
 * The direction of a metric is the evaluator's own {@code isLargerBetter}. The binary areas are
 * computed in one pass ({@link BinaryScores}); every other metric by MLlib's evaluator.
 */
public final class SparkMetrics {
  static final List<String> BINARY = List.of("areaUnderROC", "areaUnderPR");
  static final List<String> MULTICLASS = List.of("f1", "accuracy", "weightedPrecision", "weightedRecall",
      "weightedTruePositiveRate", "weightedFalsePositiveRate", "weightedFMeasure", "truePositiveRateByLabel",
      "falsePositiveRateByLabel", "precisionByLabel", "recallByLabel", "fMeasureByLabel", "logLoss", "hammingLoss");
  static final List<String> REGRESSION = List.of("rmse", "mse", "r2", "mae", "var");
  static final List<String> CLUSTERING = List.of("silhouette");

  private SparkMetrics() {}

  /** The metrics that fit {@code task}. */
  public static List<String> metricsFor(Task task) {
    switch (task) {
      case CLASSIFICATION: {
        List<String> all = new ArrayList<>(BINARY);
        all.addAll(MULTICLASS);
        return all;
      }
      case CLUSTERING:
        return CLUSTERING;
      default:
        return REGRESSION;
    }
  }

  /** The metric used when the spec names none: what MLlib's evaluator for the task defaults to. */
  public static String defaultMetric(Task task, boolean binary) {
    switch (task) {
      case CLASSIFICATION:
        return binary ? "areaUnderROC" : "f1";
      case CLUSTERING:
        return "silhouette";
      default:
        return "rmse";
    }
  }

  /** Checks that {@code metric} fits {@code task}, naming the valid ones if not. */
  public static void check(String estimator, Task task, String metric) {
    List<String> valid = metricsFor(task);
    if (!valid.contains(metric)) {
      throw SpecException.unknown("evaluation.metric", "metric for " + estimator + " ("
          + task.name().toLowerCase() + ")", metric, valid);
    }
  }

  /** Checks that a binary-only metric is not asked of a multiclass label. */
  public static void checkClasses(String metric, int classes) {
    if (BINARY.contains(metric) && classes > 2) {
      throw new SpecException("evaluation.metric", "'" + metric + "' needs a binary label, but the label has "
          + classes + " classes; expected one of " + MULTICLASS);
    }
  }

  /** The secondary metrics that are not an evaluator's: a fold's fit wall time and the model's estimated size. */
  static final String FIT_SECONDS = "fit_seconds";
  static final String MODEL_SIZE = "model_size";
  /** Executor CPU milliseconds to score a thousand validation rows: the fold's scoring tasks' CPU time, per 1,000 rows. */
  static final String PREDICT_MS = "predict_ms_per_1k_rows";
  /** Bytes of the fitted model as saved ({@code MLWritable.save}), every file counted. */
  static final String MODEL_SIZE_BYTES = "model_size_bytes";
  /** The cost metrics, all smaller-is-better. */
  static final List<String> COSTS = List.of(FIT_SECONDS, MODEL_SIZE, PREDICT_MS, MODEL_SIZE_BYTES);

  /** The cost metrics ({@code fit_seconds}, ...), all smaller-is-better. */
  public static List<String> costs() {
    return COSTS;
  }

  /** What an objective, constraint or selection rule of a {@code task} study may name: its metrics, then the costs. */
  public static List<String> measurable(Task task) {
    List<String> valid = new ArrayList<>(metricsFor(task));
    valid.addAll(COSTS);
    return List.copyOf(valid);
  }

  private static final Map<String, Supplier<Evaluator>> EVALUATORS = new LinkedHashMap<>();
  private static final Map<String, String> EVALUATOR_BY_CLASS = new LinkedHashMap<>();

  private static void add(Class<? extends Evaluator> type, Supplier<Evaluator> factory) {
    String shortName = StageSpec.snakeCase(type.getSimpleName());
    EVALUATORS.put(shortName, factory);
    EVALUATOR_BY_CLASS.put(type.getName(), shortName);
  }

  static {
    add(BinaryClassificationEvaluator.class, BinaryClassificationEvaluator::new);
    add(MulticlassClassificationEvaluator.class, MulticlassClassificationEvaluator::new);
    add(RegressionEvaluator.class, RegressionEvaluator::new);
    add(ClusteringEvaluator.class, ClusteringEvaluator::new);
  }

  /**
   * The evaluator {@code spec} names (allow-listed MLlib evaluators only) with its params, its
   * label and features columns defaulting to the study's; it must fit {@code task}.
   */
  static Evaluator evaluator(JobSpec.EvaluatorSpec spec, Task task, String labelCol, String featuresCol) {
    String field = "evaluation.evaluator";
    Supplier<Evaluator> factory = EVALUATORS.get(EVALUATOR_BY_CLASS.getOrDefault(spec.className(), spec.className()));
    if (factory == null) {
      throw SpecException.unknown(field + ".class", "evaluator (MLlib's own, by short or full class name)",
          spec.className(), EVALUATORS.keySet());
    }
    Evaluator ev = factory.get();
    Task fits = ev instanceof RegressionEvaluator ? Task.REGRESSION
        : ev instanceof ClusteringEvaluator ? Task.CLUSTERING : Task.CLASSIFICATION;
    if (fits != task && !(fits == Task.REGRESSION && task == Task.RECOMMENDATION)) {
      throw new SpecException(field + ".class", "'" + spec.className() + "' scores " + fits.name().toLowerCase()
          + ", but the estimator is a " + task.name().toLowerCase() + " estimator; expected an evaluator of "
          + task.name().toLowerCase());
    }
    for (Map.Entry<String, Object> e : spec.params().entrySet()) {
      SparkStages.set(field + ".params." + e.getKey(), spec.className(), ev, e.getKey(), e.getValue());
    }
    if (labelCol != null && ev.hasParam("labelCol") && !ev.isSet(ev.getParam("labelCol"))) {
      ev.set(ev.getParam("labelCol"), labelCol);
    }
    if (ev.hasParam("featuresCol") && !ev.isSet(ev.getParam("featuresCol"))) {
      ev.set(ev.getParam("featuresCol"), featuresCol);
    }
    return ev;
  }

  /** Checks {@code evaluation.also}: metrics of the task or {@link #COSTS}. */
  static void checkAlso(String estimator, Task task, List<String> also) {
    for (String m : also) {
      checkMeasurable("evaluation.also", estimator, task, m);
    }
  }

  private static void checkMeasurable(String field, String estimator, Task task, String metric) {
    List<String> valid = measurable(task);
    if (!valid.contains(metric)) {
      throw SpecException.unknown(field, "metric for " + estimator + " (" + task.name().toLowerCase() + ")", metric,
          valid);
    }
  }

  /**
   * Checks the metrics {@code evaluation.objectives}, {@code constraints} and {@code select}
   * name: each a metric of the task or a cost; the first objective an evaluator's metric.
   */
  static void checkObjectives(String estimator, Task task, ObjectivesSpec objectives) {
    for (int i = 0; i < objectives.metrics().size(); i++) {
      String field = "evaluation.objectives[" + i + "].metric";
      if (i == 0 && COSTS.contains(objectives.metrics().get(0))) {
        throw new SpecException(field, "'" + objectives.metrics().get(0) + "' is a cost, but the first objective is "
            + "the study's metric; expected a metric of the task first, one of " + metricsFor(task));
      }
      checkMeasurable(field, estimator, task, objectives.metrics().get(i));
    }
    for (int i = 0; i < objectives.constraints().size(); i++) {
      checkMeasurable("evaluation.constraints[" + i + "].metric", estimator, task,
          objectives.constraints().get(i).metric());
    }
    if (objectives.select() != null) {
      checkMeasurable("evaluation.select", estimator, task, objectives.select().metric());
      for (ParetoGoals.Bound b : objectives.select().subjectTo()) {
        checkMeasurable("evaluation.select.subject_to." + b.metric(), estimator, task, b.metric());
      }
    }
  }

  /** The metric {@code evaluator} computes. */
  static String metricOf(Evaluator evaluator) {
    return evaluator.hasParam("metricName") ? String.valueOf(evaluator.getOrDefault(evaluator.getParam("metricName")))
        : "";
  }

  /** The direction of any measurable metric: an evaluator's own, smaller-is-better for a cost. */
  public static Direction direction(String metric) {
    return COSTS.contains(metric) ? Direction.MINIMIZE : direction(Task.CLASSIFICATION, metric);
  }

  /** The study's goals: its objectives with their directions, its constraints and its selection rule. */
  public static ParetoGoals goals(String metric, Direction direction, ObjectivesSpec objectives) {
    List<ParetoGoals.Goal> goals = new ArrayList<>();
    goals.add(new ParetoGoals.Goal(metric, direction));
    for (String m : objectives.metrics()) {
      if (!m.equals(metric)) {
        goals.add(new ParetoGoals.Goal(m, direction(m)));
      }
    }
    return new ParetoGoals(goals, objectives.constraints(), objectives.select());
  }

  /** The evaluator that computes {@code metric} from a model's predictions. */
  public static Evaluator evaluator(Task task, String metric, String labelCol, String featuresCol) {
    if (BINARY.contains(metric)) {
      return new BinaryClassificationEvaluator().setLabelCol(labelCol).setMetricName(metric);
    }
    if (MULTICLASS.contains(metric)) {
      return new MulticlassClassificationEvaluator().setLabelCol(labelCol).setMetricName(metric);
    }
    if (CLUSTERING.contains(metric)) {
      return new ClusteringEvaluator().setFeaturesCol(featuresCol).setMetricName(metric);
    }
    if (REGRESSION.contains(metric)) {
      return new RegressionEvaluator().setLabelCol(labelCol).setMetricName(metric);
    }
    throw SpecException.unknown("evaluation.metric", "metric", metric, metricsFor(task));
  }

  /** {@code metric} of a model's predictions, by MLlib's evaluator for it. */
  static double score(Dataset<Row> predictions, Task task, String metric, String labelCol) {
    return score(predictions, evaluator(task, metric, labelCol, SparkPipelines.FEATURES));
  }

  /**
   * {@code evaluator}'s metric of a model's predictions. Per fold of a small data set, MLlib's
   * binary evaluator cost about as much as the fit (a sort with a shuffle, several jobs);
   * {@link BinaryScores} takes one job without a shuffle and agrees with it (docs/decisions.md),
   * so it stands in for MLlib's own unweighted binary evaluator of the areas (not for a user's
   * subclass of it, whose {@code evaluate} is theirs to call).
   */
  static double score(Dataset<Row> predictions, Evaluator evaluator) {
    return scored(predictions, evaluator).value();
  }

  /**
   * A metric's value and the largest absolute raw score its scoring pass saw; NaN when the pass
   * does not read raw scores (only the one-pass binary areas do, at no extra cost).
   */
  record Scored(double value, double rawScale) {}

  /** {@code evaluator}'s metric of a model's predictions, as {@link #score(Dataset, Evaluator)}, with the raw scale. */
  static Scored scored(Dataset<Row> predictions, Evaluator evaluator) {
    if (evaluator.getClass() != BinaryClassificationEvaluator.class) {
      return new Scored(evaluator.evaluate(predictions), Double.NaN);
    }
    BinaryClassificationEvaluator b = (BinaryClassificationEvaluator) evaluator;
    if (!BINARY.contains(b.getMetricName()) || (b.isDefined(b.weightCol()) && !b.getWeightCol().isEmpty())) {
      return new Scored(evaluator.evaluate(predictions), Double.NaN);
    }
    BinaryScores scores = predictions.select(functions.col(b.getRawPredictionCol()),
            functions.col(b.getLabelCol()).cast("double"))
        .javaRDD()
        .treeAggregate(new BinaryScores(), (s, row) -> s.add(positiveScore(row.get(0)), row.getDouble(1)),
            BinaryScores::merge);
    double value = b.getMetricName().equals("areaUnderROC") ? scores.areaUnderROC() : scores.areaUnderPR();
    return new Scored(value, scores.maxAbsScore());
  }

  /**
   * {@code evaluator}'s metric of each of {@code models} on the same {@code rows}, with each
   * model's raw scale as {@link #scored} measures it, where they can be scored together in one
   * job: classifiers scored by a binary area of MLlib's own evaluator (each row read once, ranked
   * by every model's raw prediction as its {@code transform} computes it), where one job per model
   * left the cores idle between the jobs of a lockstep group. Null where they cannot (another
   * evaluator, a user's subclass included, or a pass that fails, as for a model that predicts
   * NaN): they are then scored one by one, so that a failure is its own model's.
   */
  static List<Scored> scoresTogether(List<? extends Model<?>> models, Dataset<Row> rows, Evaluator evaluator) {
    if (!(models.size() > 1 && evaluator.getClass() == BinaryClassificationEvaluator.class
        && evaluator instanceof BinaryClassificationEvaluator b && BINARY.contains(b.getMetricName())
        && !(b.isDefined(b.weightCol()) && !b.getWeightCol().isEmpty()) && scoredTogether(models, b))) {
      return null;
    }
    try {
      List<Scored> out = new ArrayList<>();
      for (BinaryScores s : binaryScores(models, rows, b)) {
        out.add(new Scored(b.getMetricName().equals("areaUnderROC") ? s.areaUnderROC() : s.areaUnderPR(),
            s.maxAbsScore()));
      }
      return out;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Whether {@code models} are classifiers reading one features column and writing {@code b}'s raw predictions. */
  private static boolean scoredTogether(List<? extends Model<?>> models, BinaryClassificationEvaluator b) {
    String features = models.get(0) instanceof ClassificationModel<?, ?> c ? c.getFeaturesCol() : null;
    return features != null && models.stream().allMatch(m -> m instanceof ClassificationModel<?, ?> c
        && c.getFeaturesCol().equals(features) && c.getRawPredictionCol().equals(b.getRawPredictionCol()));
  }

  @SuppressWarnings("unchecked")
  private static BinaryScores[] binaryScores(List<? extends Model<?>> models, Dataset<Row> rows,
      BinaryClassificationEvaluator b) {
    ClassificationModel<Vector, ?>[] ms = models.stream().map(m -> (ClassificationModel<Vector, ?>) m)
        .toArray(ClassificationModel[]::new);
    BinaryScores[] zero = new BinaryScores[ms.length];
    for (int i = 0; i < zero.length; i++) {
      zero[i] = new BinaryScores();
    }
    return rows.select(functions.col(ms[0].getFeaturesCol()), functions.col(b.getLabelCol()).cast("double"))
        .javaRDD()
        .treeAggregate(zero, (acc, row) -> {
          Vector x = row.getAs(0);
          double label = row.getDouble(1);
          for (int i = 0; i < ms.length; i++) {
            acc[i].add(positiveScore(ms[i].predictRaw(x)), label);
          }
          return acc;
        }, (a, c) -> {
          for (int i = 0; i < a.length; i++) {
            a[i].merge(c[i]);
          }
          return a;
        });
  }

  /** What MLlib's binary evaluator ranks by: the positive class's raw prediction. */
  private static double positiveScore(Object raw) {
    return raw instanceof Vector v ? v.apply(1) : ((Number) raw).doubleValue();
  }

  /** The metric's direction, from its evaluator. */
  public static Direction direction(Task task, String metric) {
    return Direction.of(evaluator(task, metric, "label", "features").isLargerBetter());
  }
}
