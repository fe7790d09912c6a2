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

/**
 * The metrics a study can optimise: every metric of MLlib's evaluators that fits the task.
 * The direction of a metric is the evaluator's own {@code isLargerBetter}.
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

  /** The metric's direction, from its evaluator. */
  public static Direction direction(Task task, String metric) {
    return Direction.of(evaluator(task, metric, "label", "features").isLargerBetter());
  }
}
