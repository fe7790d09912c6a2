package io.tunelake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each misuse of the API is refused with the setting, the value and the fix, before any Spark job runs. */
@ExtendWith(SparkTestSession.class)
class TuneLakeValidatorMisuseTest {
  private final AtomicInteger jobs = new AtomicInteger();
  private final SparkListener counter = new SparkListener() {
    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
      jobs.incrementAndGet();
    }
  };
  private SparkSession spark;
  private Dataset<Row> data;
  private LogisticRegression lr;
  private Pipeline pipeline;

  @BeforeEach
  void setUp() throws Exception {
    spark = SparkTestSession.get();
    StructType schema = new StructType().add("x1", DataTypes.DoubleType).add("x2", DataTypes.DoubleType)
        .add("label", DataTypes.DoubleType);
    data = spark.createDataFrame(List.of(RowFactory.create(0.1, 0.2, 0.0), RowFactory.create(0.9, 0.8, 1.0)), schema);
    lr = new LogisticRegression();
    pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(new String[] {"x1", "x2"}).setOutputCol("features"), lr});
    spark.sparkContext().listenerBus().waitUntilEmpty();
    spark.sparkContext().addSparkListener(counter);
  }

  @AfterEach
  void noSparkJobRan() throws Exception {
    spark.sparkContext().listenerBus().waitUntilEmpty();
    spark.sparkContext().removeSparkListener(counter);
    assertEquals(0, jobs.get(), "a refused fit must not start a Spark job");
  }

  private TuneLakeValidator valid() {
    return new TuneLakeValidator().setEstimator(pipeline).setEvaluator(new BinaryClassificationEvaluator())
        .setSearchSpace(ParamSpace.builder().logUniform(lr.regParam(), 1e-4, 1).build());
  }

  private String refused(TuneLakeValidator v) {
    return assertThrows(IllegalArgumentException.class, () -> v.fit(data)).getMessage();
  }

  @Test
  void fit_noEstimator_namesTheSetter() {
    assertEquals("setting 'estimator': expected an Estimator or a Pipeline to tune, but got nothing; "
        + "fix: setEstimator(pipeline) before fit", refused(new TuneLakeValidator()));
  }

  @Test
  void fit_noEvaluator_namesTheSetter() {
    assertEquals("setting 'evaluator': expected an Evaluator to score each trial, but got nothing; fix: "
        + "setEvaluator(new BinaryClassificationEvaluator()), or any Evaluator of your own, before fit",
        refused(new TuneLakeValidator().setEstimator(pipeline)));
  }

  @Test
  void fit_emptySpace_asksForAParam() {
    assertEquals("setting 'searchSpace': expected a space with at least one param, but got 'ParamSpace[]'; "
        + "fix: add a param to the builder, such as .logUniform(lr.regParam(), 1e-4, 1)",
        refused(valid().setSearchSpace(ParamSpace.builder().build())));
  }

  @Test
  void fit_paramOfAnotherInstance_isNoStageOfThePipeline() {
    LogisticRegression other = new LogisticRegression();
    String message = refused(valid().setSearchSpace(ParamSpace.builder().logUniform(other.regParam(), 1e-4, 1)
        .build()));
    assertEquals("setting 'searchSpace': '" + other.uid() + ".regParam' is a param of no stage of the estimator ["
        + pipeline.getStages()[0].uid() + ", " + lr.uid() + "]; fix: take the param from a stage of the pipeline "
        + "you tune (such as lr.regParam() of the LogisticRegression in it), not from another instance", message);
  }

  @Test
  void fit_gridAndSpaceBoth_areRefusedTogether() {
    ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), new double[] {0.1, 0.01}).build();
    assertEquals("settings 'estimatorParamMaps' and 'searchSpace' were both given, but a study searches either a "
        + "grid or a space; fix: keep setEstimatorParamMaps(grid) for a grid study, or setSearchSpace(space) for a "
        + "search", refused(valid().setEstimatorParamMaps(grid)));
  }

  @Test
  void fit_regressionEvaluatorOnAClassifier_doesNotFitTheLabel() {
    assertEquals("setting 'evaluator': 'RegressionEvaluator' scores regression, but the estimator's last stage "
        + "LogisticRegression is a classification model; fix: use an evaluator for classification "
        + "(BinaryClassificationEvaluator or MulticlassClassificationEvaluator)",
        refused(valid().setEvaluator(new RegressionEvaluator())));
  }

  @Test
  void fit_evaluatorLabelNotInTheData_namesTheColumns() {
    assertEquals("setting 'evaluator': 'BinaryClassificationEvaluator labelCol=churned' names no column of the "
        + "data [x1, x2, label]; fix: set the evaluator's labelCol to the data's label column",
        refused(valid().setEvaluator(new BinaryClassificationEvaluator().setLabelCol("churned"))));
  }

  @Test
  void fit_zeroTrials_saysTheSameAsTheSpec() {
    assertEquals("setting 'trials': expected a positive number of trials, but got 0; fix: setTrials(20)",
        refused(valid().setTrials(0)));
  }

  @Test
  void fit_foldColNotInTheData_namesTheColumns() {
    assertEquals("setting 'foldCol': 'fold' is not a column of the data [x1, x2, label]; fix: name one of the "
        + "data's columns", refused(valid().setFoldCol("fold")));
  }

  /** {@code v} on a store of its own is refused with its message, and the store is never created. */
  private String refusedWithoutTables(TuneLakeValidator v) {
    java.nio.file.Path store = SparkTestSession.tempDir("misuse-store").resolve("store");
    String message = refused(v.setStorePath(store.toString()));
    assertFalse(java.nio.file.Files.exists(store), "a refused fit must not touch the store");
    return message;
  }

  private static final String MEASURABLE = "[areaUnderROC, areaUnderPR, f1, accuracy, weightedPrecision, "
      + "weightedRecall, weightedTruePositiveRate, weightedFalsePositiveRate, weightedFMeasure, "
      + "truePositiveRateByLabel, falsePositiveRateByLabel, precisionByLabel, recallByLabel, fMeasureByLabel, "
      + "logLoss, hammingLoss, fit_seconds, model_size, predict_ms_per_1k_rows, model_size_bytes]";

  @Test
  void fit_firstObjectiveNotTheEvaluatorsMetric_namesTheEvaluatorsMetric() {
    assertEquals("setting 'objectives': 'fit_seconds' is the first objective, but the first is the study's metric "
        + "and the evaluator computes 'areaUnderROC'; fix: start with the evaluator's metric, as "
        + "setObjectives(\"areaUnderROC\", \"fit_seconds\")",
        refusedWithoutTables(valid().setObjectives("fit_seconds", "areaUnderROC")));
  }

  @Test
  void fit_unknownObjective_listsTheMeasurableMetrics() {
    assertEquals("setting 'objectives': unknown metric 'latency'; expected one of " + MEASURABLE + "; fix: "
        + "setObjectives(\"areaUnderROC\", \"fit_seconds\")",
        refusedWithoutTables(valid().setObjectives("areaUnderROC", "latency")));
  }

  @Test
  void fit_regressionMetricAsAnObjectiveOfAClassifier_isUnknownForTheTask() {
    assertEquals("setting 'objectives': unknown metric 'rmse'; expected one of " + MEASURABLE + "; fix: "
        + "setObjectives(\"areaUnderROC\", \"fit_seconds\")",
        refusedWithoutTables(valid().setObjectives("areaUnderROC", "rmse")));
  }

  @Test
  void fit_objectiveTwice_asksForDistinctMetrics() {
    assertEquals("setting 'objectives': expected distinct metrics, but got '[areaUnderROC, fit_seconds, "
        + "fit_seconds]'; fix: name each metric once, as setObjectives(\"areaUnderROC\", \"fit_seconds\")",
        refusedWithoutTables(valid().setObjectives("areaUnderROC", "fit_seconds", "fit_seconds")));
  }

  @Test
  void fit_constraintMinAboveMax_isRefused() {
    assertEquals("setting 'constraints': expected min <= max for 'fit_seconds', but got 'min=10.0, max=1.0'; "
        + "fix: MetricBound.between(\"fit_seconds\", low, high) with low <= high",
        refusedWithoutTables(valid().setConstraints(MetricBound.between("fit_seconds", 10, 1))));
  }

  @Test
  void fit_constraintWithoutABound_isRefused() {
    assertEquals("setting 'constraints': expected a min or a max on 'model_size_bytes', but got 'neither'; fix: "
        + "setConstraints(MetricBound.atMost(\"fit_seconds\", 60))",
        refusedWithoutTables(valid().setConstraints(new MetricBound("model_size_bytes", null, null))));
  }

  @Test
  void fit_constraintOnAnUnknownMetric_listsTheMeasurableMetrics() {
    assertEquals("setting 'constraints': unknown metric 'seconds'; expected one of " + MEASURABLE + "; fix: "
        + "setConstraints(MetricBound.atMost(\"fit_seconds\", 60))",
        refusedWithoutTables(valid().setConstraints(MetricBound.atMost("seconds", 60))));
  }

  @Test
  void fit_constraintBoundNaN_asksForNumbers() {
    assertEquals("setting 'constraints': expected numbers as the bounds of 'fit_seconds', but got 'min=null, "
        + "max=NaN'; fix: setConstraints(MetricBound.atMost(\"fit_seconds\", 60))",
        refusedWithoutTables(valid().setConstraints(MetricBound.atMost("fit_seconds", Double.NaN))));
  }

  @Test
  void fit_selectOnAnUnknownMetric_listsTheMeasurableMetrics() {
    assertEquals("setting 'select': unknown metric 'speed'; expected one of " + MEASURABLE + "; fix: "
        + "setSelect(Selection.maximize(\"areaUnderROC\", MetricBound.atMost(\"fit_seconds\", 60)))",
        refusedWithoutTables(valid().setSelect(Selection.minimize("speed"))));
  }

  @Test
  void fit_selectSubjectToMinAboveMax_isRefused() {
    assertEquals("setting 'select': expected min <= max for 'predict_ms_per_1k_rows', but got 'min=5.0, max=2.0'; "
        + "fix: MetricBound.between(\"predict_ms_per_1k_rows\", low, high) with low <= high",
        refusedWithoutTables(valid().setSelect(Selection.maximize("areaUnderROC",
            MetricBound.between("predict_ms_per_1k_rows", 5, 2)))));
  }

  @Test
  void fit_warmStartAutoAndNamedStudies_areRefusedTogether() {
    assertEquals("settings 'warmStart' and 'warmStartAuto' were both given, but warm start auto chooses the "
        + "earlier studies by the similarity of their data; fix: drop setWarmStart(...), or "
        + "setWarmStartAuto(false) to name the studies",
        refusedWithoutTables(valid().setWarmStart("churn-v1").setWarmStartAuto(true)));
  }

  @Test
  void builder_uniformOnAnIntegerParam_pointsToIntRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParamSpace.builder().uniform(lr.maxIter(), 1, 10));
    assertEquals("setting 'searchSpace': 'maxIter' is not a double-valued param, so uniform cannot search it; "
        + "fix: intRange(maxIter, low, high)", e.getMessage());
  }

  @Test
  void builder_boundOutsideTheParamsValidator_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParamSpace.builder().uniform(lr.regParam(), -1, 1));
    assertEquals("setting 'searchSpace': expected a value regParam accepts (regularization parameter (>= 0)), but "
        + "got -1.0; fix: uniform(regParam, ...) with values inside the param's bounds", e.getMessage());
  }
}
