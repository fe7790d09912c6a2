package io.tunelake.spark;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One fold, featurized: the featurization fitted on the fold's training rows and both sides
 * transformed by it, so that trials only fit their estimator. The validation side is cached;
 * the training side too, except in a fused study, whose packed blocks hold those rows. Its
 * {@code baseline} says what a model that learned nothing scores on its validation rows.
 */
record FoldData(int index, int of, PipelineModel featurizer, Dataset<Row> train, Dataset<Row> validation,
    int featureCount, SparkDivergence.Baseline baseline) {

  void release() {
    train.unpersist();
    validation.unpersist();
  }
}
