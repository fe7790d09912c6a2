package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import io.tunelake.spark.SparkData;
import io.tunelake.spark.SparkFolds;
import io.tunelake.spark.SparkStudyPlan;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.JobSpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The model {@code tune} saves for a study of the user's own pipeline over model families: a
 * {@code PipelineModel} of the user's stages and the best family's model, which
 * {@code PipelineModel.load} reads back and which scores the held-out rows to the figure stored
 * in the study's row.
 */
@ExtendWith(SparkTestSession.class)
class PipelineRefitCliTest {

  @Test
  void tune_pipelineOverFamilies_savesTheUsersStages_andTheLoadedModelScoresTheHeldOutRowsToTheStoredFigure()
      throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path file = Files.createTempFile(store, "families", ".yaml");
    Files.writeString(file, String.join("\n",
        "study: refit-families",
        "data: {path: '" + PipelineSpecCliTest.DATA + "', test_fraction: 0.3}",
        "pipeline:",
        "  - {stage: sql_transformer, statement: 'SELECT *, f1 * f2 AS f12 FROM __THIS__'}",
        "  - {stage: vector_assembler, inputCols: [f1, f2, f3, f4, f12], outputCol: raw}",
        "  - {stage: pca, inputCol: raw, outputCol: features}",
        "estimator: {choice: [logistic_regression, random_forest_classifier]}",
        "space: {pca.k: [2, 3], logistic_regression.regParam: [0.01, 0.1], random_forest_classifier.numTrees: [4, 8]}",
        "evaluation: {metric: accuracy, folds: 3}",
        "search: {algorithm: random, trials: 4, batch_size: 4, seed: 5}",
        ""));
    TuneCommandTest.Run run = TuneCommandTest.cli("tune", file.toString(), "--store", store.toString());
    assertEquals(0, run.code(), run.err());

    Row study = TuneCommandTest.table(store, "studies").where("study = 'refit-families'").first();
    double stored = study.getAs("test_metric");
    PipelineModel model = PipelineModel.load(study.<String>getAs("model_path"));
    List<String> stages = Arrays.stream(model.stages()).map(s -> s.getClass().getSimpleName()).toList();
    assertEquals(List.of("SQLTransformer", "VectorAssembler", "PCAModel"), stages.subList(0, 3));
    assertTrue(List.of("LogisticRegressionModel", "RandomForestClassificationModel").contains(stages.get(3)),
        stages.toString());

    // The held-out rows, split as the study split them: same spec, data and seed.
    SparkSession spark = SparkTestSession.get();
    JobSpec spec = JobSpecParser.parse(file, List.of());
    Dataset<Row> data = SparkData.load(spark, spec.data());
    SparkStudyPlan plan = SparkStudyPlan.resolve(spec, data);
    Dataset<Row> used = data.select(plan.columns().used().stream().map(Column::new).toArray(Column[]::new));
    SparkFolds.Split split = SparkFolds.split(spark, plan, used, spec.search().seed());
    try {
      Dataset<Row> test = split.test();
      assertTrue(test.count() > 0);
      double again = new MulticlassClassificationEvaluator().setLabelCol("label").setMetricName("accuracy")
          .evaluate(model.transform(test));
      assertEquals(stored, again, 1e-12, "the loaded model scores the held-out rows as stored");
    } finally {
      split.release();
    }
  }
}
