package io.tunelake.spark;

import io.tunelake.optimize.Direction;
import io.tunelake.spec.SpecException;
import java.util.ArrayList;
import java.util.List;
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
  private static final String RAW_PREDICTION = "rawPrediction";

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

  /**
   * {@code metric} of a model's predictions. Per fold of a small data set, MLlib's binary evaluator
   * cost about as much as the fit (a sort with a shuffle, several jobs); {@link BinaryScores}
   * takes one job without a shuffle and agrees with it (docs/decisions.md).
   */
  static double score(Dataset<Row> predictions, Task task, String metric, String labelCol) {
    if (!BINARY.contains(metric)) {
      return evaluator(task, metric, labelCol, SparkPipelines.FEATURES).evaluate(predictions);
    }
    BinaryScores scores = predictions.select(functions.col(RAW_PREDICTION), functions.col(labelCol).cast("double"))
        .javaRDD()
        .treeAggregate(new BinaryScores(), (s, row) -> s.add(positiveScore(row.get(0)), row.getDouble(1)),
            BinaryScores::merge);
    return metric.equals("areaUnderROC") ? scores.areaUnderROC() : scores.areaUnderPR();
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
