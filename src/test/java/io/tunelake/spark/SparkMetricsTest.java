package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSession.class)
class SparkMetricsTest {

  static Dataset<Row> predictions(double[] scores, double[] labels, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      rows.add(RowFactory.create(Vectors.dense(-scores[i], scores[i]), scores[i] > 0 ? 1.0 : 0.0, labels[i]));
    }
    StructType schema = new StructType().add("rawPrediction", SQLDataTypes.VectorType())
        .add("prediction", DataTypes.DoubleType).add("y", DataTypes.DoubleType);
    return SparkTestSession.get().createDataFrame(rows, schema).repartition(partitions);
  }

  static double mllib(Dataset<Row> predictions, String metric) {
    return new BinaryClassificationEvaluator().setLabelCol("y").setMetricName(metric).setNumBins(0)
        .evaluate(predictions);
  }

  @Test
  void binaryAreas_agreeWithMllibsUndownsampledEvaluator_withTiesOverPartitions() {
    double[][] data = BinaryScoresTest.logistic(4_000, 3, 0.1);
    Dataset<Row> predictions = predictions(data[0], data[1], 3);
    for (String metric : SparkMetrics.BINARY) {
      assertEquals(mllib(predictions, metric),
          SparkMetrics.score(predictions, Task.CLASSIFICATION, metric, "y"), 1e-12, metric);
    }
  }

  @Test
  void binaryAreas_ofASingleClass_areMllibs() {
    Dataset<Row> predictions = predictions(new double[] {0.1, 0.4, 0.4, 2}, new double[] {1, 1, 1, 1}, 1);
    for (String metric : SparkMetrics.BINARY) {
      assertEquals(mllib(predictions, metric),
          SparkMetrics.score(predictions, Task.CLASSIFICATION, metric, "y"), 1e-12, metric);
    }
  }

  @Test
  void scores_ofManyClassifiersInOnePass_areEachModelsOwnScore() {
    Dataset<Row> rows = SparkTestSession.get().read().format("libsvm")
        .load(SparkTestSession.dataFile("sample_libsvm_data.txt").toString()).repartition(2).cache();
    List<Model<?>> models = new ArrayList<>();
    for (double reg : new double[] {0.0, 0.3, 10.0}) {
      models.add(new LogisticRegression().setRegParam(reg).setMaxIter(5).fit(rows));
    }
    models.add(new GBTClassifier().setMaxIter(3).setSeed(7).fit(rows));
    for (String metric : SparkMetrics.BINARY) {
      BinaryClassificationEvaluator evaluator = new BinaryClassificationEvaluator().setMetricName(metric);
      List<SparkMetrics.Scored> together = SparkMetrics.scoresTogether(models, rows, evaluator);
      for (int i = 0; i < models.size(); i++) {
        SparkMetrics.Scored alone = SparkMetrics.scored(models.get(i).transform(rows), evaluator);
        assertEquals(alone.value(), together.get(i).value(), 0.0, metric + " of model " + i);
        assertTrue(alone.rawScale() > 0, "model " + i + " has raw scores");
        assertEquals(alone.rawScale(), together.get(i).rawScale(), 0.0, "raw scale of model " + i);
      }
    }
    rows.unpersist();
  }

  @Test
  void otherMetrics_areMllibsEvaluators() {
    double[][] data = BinaryScoresTest.logistic(200, 4, 0);
    Dataset<Row> predictions = predictions(data[0], data[1], 1);
    assertEquals(new MulticlassClassificationEvaluator().setLabelCol("y").setMetricName("accuracy")
        .evaluate(predictions),
        SparkMetrics.score(predictions, Task.CLASSIFICATION, "accuracy", "y"), 1e-12);
  }

  @Test
  void binaryScoring_carriesTheLargestRawScore_otherEvaluatorsDoNotMeasureIt() {
    Dataset<Row> predictions = predictions(new double[] {0.5, -1.2e8, 3, 7e7}, new double[] {1, 0, 1, 0}, 2);
    SparkMetrics.Scored auc = SparkMetrics.scored(predictions,
        new BinaryClassificationEvaluator().setLabelCol("y"));
    assertEquals(mllib(predictions, "areaUnderROC"), auc.value(), 1e-12);
    assertEquals(1.2e8, auc.rawScale(), 0);
    assertTrue(Double.isNaN(SparkMetrics.scored(predictions,
        new MulticlassClassificationEvaluator().setLabelCol("y").setMetricName("accuracy")).rawScale()));
  }

  @Test
  void baseline_summarisesTheFoldsLabelsInTheAggregatesThatCountItsRows() {
    StructType schema = new StructType().add("y", DataTypes.DoubleType);
    List<Row> train = new ArrayList<>();
    for (double y : new double[] {1, 2, 3, 6}) {
      train.add(RowFactory.create(y));
    }
    List<Row> validation = List.of(RowFactory.create(0.0), RowFactory.create(6.0));
    SparkDivergence.Baseline b = SparkDivergence.baseline(Task.REGRESSION, "y", 0,
        SparkTestSession.get().createDataFrame(train, schema), SparkTestSession.get().createDataFrame(validation, schema));
    assertEquals(4, b.trainRows());
    assertEquals(2, b.validationRows());
    assertEquals(3.0, b.chance("rmse"), 1e-12, "predicting the training mean 3 on 0 and 6");
    assertEquals(3.0, b.chance("mae"), 1e-12);
    assertEquals(9.0, b.chance("mse"), 1e-12);

    List<Row> classes = List.of(RowFactory.create(0.0), RowFactory.create(2.0), RowFactory.create(2.0),
        RowFactory.create(1.0));
    SparkDivergence.Baseline c = SparkDivergence.baseline(Task.CLASSIFICATION, "y", 3,
        SparkTestSession.get().createDataFrame(train, schema), SparkTestSession.get().createDataFrame(classes, schema));
    assertEquals(0.5, c.chance("accuracy"), 1e-12);
    assertEquals(4, c.validationRows());
  }
}
