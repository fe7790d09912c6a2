package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.JobSpecParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSession.class)
class SparkRefitTest {

  /** The names of the RDDs that the refit's stages read. */
  static final class RefitRdds extends SparkListener {
    final List<String> names = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
      String group = submitted.properties() == null ? null : submitted.properties().getProperty("spark.jobGroup.id");
      if (group != null && group.endsWith("-refit")) {
        submitted.stageInfo().rddInfos().foreach(info -> names.add(info.name()));
      }
    }
  }

  private static LogisticRegressionModel refit(SparkSession spark, boolean fused, Path models, RefitRdds rdds,
      double[] testMetric) {
    JobSpec spec = JobSpecParser.parse(String.join("\n",
        "study: refit-" + fused,
        "data: {path: '" + SparkCrossValidationTest.ADULT + "', label: label, test_fraction: 0.2}",
        "estimator: logistic_regression",
        "space: {regParam: {low: 1.0e-4, high: 1.0, log: true}, elasticNetParam: {low: 0, high: 1}, maxIter: 10}",
        "evaluation: {metric: areaUnderROC, folds: 3}",
        "search: {fused_fits: " + fused + "}",
        "store: {path: '" + models + "'}",
        ""), List.of());
    Dataset<Row> data = SparkData.load(spark, spec.data());
    SparkStudyPlan plan = SparkStudyPlan.resolve(spec, data);
    SparkFolds.Split split = SparkFolds.split(spark, plan, data, 42);
    rdds.names.clear();
    try {
      SparkRefit.Result result = SparkRefit.refit(spark, plan, split, SparkCrossValidationTest.GOOD, 42,
          models.resolve("model-" + fused).toString());
      testMetric[fused ? 1 : 0] = result.testMetric();
      PipelineModel saved = PipelineModel.load(result.modelPath());
      return (LogisticRegressionModel) saved.stages()[saved.stages().length - 1];
    } finally {
      split.release();
    }
  }

  @Test
  void aFusedRefitSavesTheModelMLlibWouldHaveFitted() {
    SparkSession spark = SparkTestSession.get();
    Path models = SparkTestSession.tempDir("refit-models");
    RefitRdds rdds = new RefitRdds();
    double[] testMetric = new double[2];
    spark.sparkContext().addSparkListener(rdds);
    try {
      LogisticRegressionModel mllib = refit(spark, false, models, rdds, testMetric);
      assertTrue(rdds.names.stream().noneMatch(n -> n.startsWith("tunelake fused")), rdds.names.toString());
      LogisticRegressionModel fused = refit(spark, true, models, rdds, testMetric);
      assertTrue(rdds.names.stream().anyMatch(n -> n.startsWith("tunelake fused")), "the fused refit packed its "
          + "rows: " + rdds.names);
      double[] a = fused.coefficients().toArray();
      double[] b = mllib.coefficients().toArray();
      assertEquals(b.length, a.length);
      for (int j = 0; j < a.length; j++) {
        assertEquals(b[j], a[j], 1e-8, "coefficient " + j);
      }
      assertEquals(mllib.intercept(), fused.intercept(), 1e-8);
      assertEquals(mllib.getRegParam(), fused.getRegParam());
      assertEquals(testMetric[0], testMetric[1], 1e-9, "held-out AUC");
    } finally {
      spark.sparkContext().removeSparkListener(rdds);
    }
  }

  @Test
  void aPipelineRefit_savesTheUsersStages_whichLoadBackAndScoreTheHeldOutRowsToTheStoredFigure() {
    SparkSession spark = SparkTestSession.get();
    Path models = SparkTestSession.tempDir("refit-pipeline");
    JobSpec spec = JobSpecParser.parse(String.join("\n",
        "study: refit-pipeline",
        "data: {path: '" + StudyPipelineTest.MULTICLASS + "', test_fraction: 0.3}",
        "pipeline:",
        "  - {stage: sql_transformer, statement: 'SELECT *, f1 * f2 AS f12 FROM __THIS__'}",
        "  - {stage: vector_assembler, inputCols: [f1, f2, f3, f4, f12], outputCol: raw}",
        "  - {stage: pca, inputCol: raw, outputCol: features}",
        "estimator: logistic_regression",
        "space: {pca.k: [2, 3], regParam: [0.01, 0.1]}",
        "evaluation: {metric: accuracy, folds: 3}",
        "store: {path: '" + models + "'}",
        ""), List.of());
    Dataset<Row> data = SparkData.load(spark, spec.data());
    SparkStudyPlan plan = SparkStudyPlan.resolve(spec, data);
    SparkFolds.Split split = SparkFolds.split(spark, plan, data, 42);
    try {
      SparkRefit.Result result = SparkRefit.refit(spark, plan, split, java.util.Map.of("pca.k", 3, "regParam", 0.01),
          42, models.resolve("model").toString());
      PipelineModel saved = PipelineModel.load(result.modelPath());
      assertEquals(List.of("SQLTransformer", "VectorAssembler", "PCAModel", "LogisticRegressionModel"),
          java.util.Arrays.stream(saved.stages()).map(t -> t.getClass().getSimpleName()).toList());
      assertEquals(3, ((org.apache.spark.ml.feature.PCAModel) saved.stages()[2]).getK());
      double again = new org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator().setMetricName("accuracy")
          .evaluate(saved.transform(split.test()));
      assertTrue(result.testRows() > 0);
      assertEquals(result.testMetric(), again, 1e-12, "the loaded model scores the held-out rows as stored");
    } finally {
      split.release();
    }
  }
}
