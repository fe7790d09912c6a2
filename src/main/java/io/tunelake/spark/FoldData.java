package io.tunelake.spark;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One fold, featurized: the featurization fitted on the fold's training rows and both sides
 * transformed by it and cached, so that trials only fit their estimator.
 */
record FoldData(int index, int of, PipelineModel featurizer, Dataset<Row> train, Dataset<Row> validation,
    int featureCount) {

  void release() {
    train.unpersist();
    validation.unpersist();
  }
}
