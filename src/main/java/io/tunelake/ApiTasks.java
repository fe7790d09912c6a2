package io.tunelake;

import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.Classifier;
import org.apache.spark.ml.clustering.BisectingKMeans;
import org.apache.spark.ml.clustering.GaussianMixture;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.regression.Regressor;

/** What kind of label an MLlib estimator predicts and an evaluator scores; null when it cannot be told. */
final class ApiTasks {
  static final String CLASSIFICATION = "classification";
  static final String REGRESSION = "regression";
  static final String CLUSTERING = "clustering";

  private ApiTasks() {}

  static String kindOf(PipelineStage estimator) {
    if (estimator instanceof Classifier<?, ?, ?>) {
      return CLASSIFICATION;
    }
    if (estimator instanceof Regressor<?, ?, ?>) {
      return REGRESSION;
    }
    if (estimator instanceof KMeans || estimator instanceof BisectingKMeans || estimator instanceof GaussianMixture) {
      return CLUSTERING;
    }
    return null;
  }

  static String kindOf(Evaluator evaluator) {
    if (evaluator instanceof BinaryClassificationEvaluator || evaluator instanceof MulticlassClassificationEvaluator) {
      return CLASSIFICATION;
    }
    if (evaluator instanceof RegressionEvaluator) {
      return REGRESSION;
    }
    if (evaluator instanceof ClusteringEvaluator) {
      return CLUSTERING;
    }
    return null;
  }

  static String evaluatorFor(String kind) {
    if (CLASSIFICATION.equals(kind)) {
      return "BinaryClassificationEvaluator or MulticlassClassificationEvaluator";
    }
    return REGRESSION.equals(kind) ? "RegressionEvaluator" : "ClusteringEvaluator";
  }
}
