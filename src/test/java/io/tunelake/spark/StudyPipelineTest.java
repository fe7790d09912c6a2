package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import io.tunelake.space.Categorical;
import io.tunelake.space.Condition;
import io.tunelake.space.Domain;
import io.tunelake.space.IntRange;
import io.tunelake.space.FloatRange;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.JobSpecParser;
import io.tunelake.spec.SpecException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSession.class)
class StudyPipelineTest {
  static final Path MULTICLASS = SparkTestSession.dataFile("sample_multiclass_classification_data.csv");

  static final String PCA_SPEC = String.join("\n",
      "study: pipeline-test",
      "data: {path: '" + MULTICLASS + "'}",
      "pipeline:",
      "  - {stage: vector_assembler, inputCols: [f1, f2, f3, f4], outputCol: raw}",
      "  - {stage: standard_scaler, inputCol: raw, outputCol: scaled}",
      "  - {stage: pca, inputCol: scaled, outputCol: features}",
      "estimator: logistic_regression",
      "space:",
      "  pca.k: [2, 3]",
      "  regParam: {low: 1.0e-4, high: 1.0, log: true}",
      "");

  static final String FAMILIES_SPEC = String.join("\n",
      "study: families-test",
      "data: {path: '" + MULTICLASS + "'}",
      "estimator: {choice: [logistic_regression, random_forest_classifier, {stage: gbt_classifier, name: gbt}]}",
      "space:",
      "  logistic_regression.regParam: {low: 1.0e-4, high: 1.0, log: true}",
      "  random_forest_classifier.numTrees: {low: 5, high: 20}",
      "  gbt.maxDepth: {low: 2, high: 5}",
      "  gbt.stepSize: {low: 0.05, high: 0.3, when: {gbt.maxDepth: [2, 3]}}",
      "");

  static JobSpec parse(String yaml, String... overrides) {
    return JobSpecParser.parse(yaml, List.of(overrides));
  }

  static SpecException rejected(String yaml, String... overrides) {
    return assertThrows(SpecException.class, () -> SparkStudyPlan.checkStatic(parse(yaml, overrides)));
  }

  static Dataset<Row> data() {
    return SparkData.load(SparkTestSession.get(), parse(PCA_SPEC).data());
  }

  @Test
  void spec_stagesAddressedByName_typeTheSpaceFromEachStagesParams() {
    SparkStudyPlan.Static s = SparkStudyPlan.checkStatic(parse(PCA_SPEC));
    assertInstanceOf(Categorical.class, s.space().domain("pca.k").orElseThrow());
    assertInstanceOf(FloatRange.class, s.space().domain("regParam").orElseThrow());
  }

  @Test
  void spec_tunedStage_endsThePrefix_andTheTrialPipelineCarriesItsParams() {
    SparkStudyPlan plan = SparkStudyPlan.resolve(parse(PCA_SPEC), data());
    StudyPipeline p = plan.pipeline();
    assertEquals(List.of("vector_assembler", "standard_scaler", "pca"), p.stages().stream()
        .map(StudyPipeline.Stage::name).toList());
    assertEquals(2, p.prefixLength());
    assertEquals("features", p.featuresCol());
    Pipeline trial = p.pipeline(Map.of("pca.k", 3, "regParam", 0.01), 3, 3);
    PipelineStage[] stages = trial.getStages();
    assertEquals(3, ((PCA) stages[2]).getK());
    LogisticRegression lr = (LogisticRegression) stages[3];
    assertEquals(0.01, lr.getRegParam());
    assertEquals("features", lr.getFeaturesCol());
    assertEquals("label", lr.getLabelCol());
  }

  @Test
  void spec_featurizeBlock_isThePipelineItStandsFor() {
    String yaml = String.join("\n", "study: t", "data: {path: '" + MULTICLASS + "'}",
        "featurize: {scaling: standard}", "estimator: logistic_regression", "space: {regParam: [0.1, 0.01]}", "");
    StudyPipeline p = SparkStudyPlan.resolve(parse(yaml), data()).pipeline();
    assertEquals(List.of("vector_assembler", "standard_scaler"), p.stages().stream()
        .map(StudyPipeline.Stage::name).toList());
    assertEquals(2, p.prefixLength(), "no featurize stage is tuned");
    assertEquals(SparkPipelines.FEATURES, p.featuresCol());
  }

  @Test
  void spec_families_makeTheFamilyARootParameter_andEachFamilysParamsConditionalOnIt() {
    SparkStudyPlan.Static s = SparkStudyPlan.checkStatic(parse(FAMILIES_SPEC));
    assertEquals(List.of("estimator", "logistic_regression.regParam", "random_forest_classifier.numTrees",
        "gbt.maxDepth", "gbt.stepSize"), s.space().names());
    assertEquals(new Categorical("estimator", List.of("logistic_regression", "random_forest_classifier", "gbt")),
        s.space().domain("estimator").orElseThrow());
    assertEquals(Condition.of("estimator", "gbt"), s.space().condition("gbt.maxDepth").orElseThrow());
    assertEquals(Condition.of("gbt.maxDepth", 2, 3), s.space().condition("gbt.stepSize").orElseThrow());
    Map<String, Object> lr = Map.of("estimator", "logistic_regression", "logistic_regression.regParam", 0.01);
    assertTrue(s.space().contains(lr));
    assertFalse(s.space().isActive("gbt.maxDepth", lr));
  }

  @Test
  void spec_familyTrial_buildsThatFamilysEstimatorWithItsParams() {
    SparkStudyPlan plan = SparkStudyPlan.resolve(parse(FAMILIES_SPEC), data());
    var est = plan.pipeline().estimator(Map.of("estimator", "gbt", "gbt.maxDepth", 3, "gbt.stepSize", 0.2), 4, 3);
    assertEquals("GBTClassifier", est.getClass().getSimpleName());
    assertEquals(3, (int) est.getOrDefault(est.getParam("maxDepth")));
    assertEquals(SparkPipelines.FEATURES, est.getOrDefault(est.getParam("featuresCol")));
  }

  // Bad inputs: each names the field, the value and what was expected, before any Spark job.

  @Test
  void unknownStage_suggestsTheNearest() {
    SpecException e = rejected(PCA_SPEC.replace("stage: pca,", "stage: pcaa,"));
    assertEquals("pipeline[2].stage", e.field());
    assertTrue(e.getMessage().contains("unknown stage 'pcaa'; did you mean 'pca'?"), e.getMessage());
  }

  @Test
  void classOutsideTheAllowList_isNeverLoaded() {
    SpecException e = rejected(PCA_SPEC.replace("stage: pca,", "stage: java.lang.ProcessBuilder,"));
    assertEquals("pipeline[2].stage", e.field());
    assertTrue(e.getMessage().contains("expected an MLlib feature stage of the allow-list"), e.getMessage());
    assertTrue(e.getMessage().contains("but got 'java.lang.ProcessBuilder'"), e.getMessage());
  }

  @Test
  void fullClassNameOfTheAllowList_isAccepted() {
    SparkStudyPlan.Static s = SparkStudyPlan.checkStatic(parse(PCA_SPEC.replace("stage: pca,",
        "stage: org.apache.spark.ml.feature.PCA,")));
    assertTrue(s.space().domain("pca.k").isPresent(), "the full class name's short name names the stage");
  }

  @Test
  void paramTheStageDoesNotHave_suggestsTheNearest() {
    SpecException e = rejected(PCA_SPEC.replace("outputCol: scaled}", "outputCol: scaled, withMeen: true}"));
    assertEquals("pipeline[1].withMeen", e.field());
    assertTrue(e.getMessage().contains("unknown parameter of standard_scaler 'withMeen'; did you mean 'withMean'?"),
        e.getMessage());
  }

  @Test
  void stageParamOutsideItsValidator_quotesTheDoc() {
    SpecException e = rejected(PCA_SPEC.replace("outputCol: features}", "outputCol: features, k: 0}"));
    assertEquals("pipeline[2].k", e.field());
    assertTrue(e.getMessage().contains("but got '0'"), e.getMessage());
    assertTrue(e.getMessage().contains("the number of principal components"), e.getMessage());
  }

  @Test
  void spaceKeyNamingNoStage_suggestsTheNearest() {
    SpecException e = rejected(PCA_SPEC.replace("pca.k: [2, 3]", "pcaa.k: [2, 3]"));
    assertEquals("space.pcaa.k", e.field());
    assertTrue(e.getMessage().contains("unknown stage 'pcaa'; did you mean 'pca'?"), e.getMessage());
  }

  @Test
  void tunedParamTheStageDoesNotHave_suggestsTheNearest() {
    SpecException e = rejected(PCA_SPEC.replace("pca.k: [2, 3]", "pca.kk: [2, 3]"));
    assertEquals("space.pca.kk", e.field());
    assertTrue(e.getMessage().contains("unknown parameter of pca 'kk'; did you mean 'k'?"), e.getMessage());
  }

  @Test
  void stageInputColumnMissing_namesTheColumnsThere() {
    JobSpec spec = parse(PCA_SPEC.replace("inputCol: raw,", "inputCol: rawr,"));
    SpecException e = assertThrows(SpecException.class, () -> SparkStudyPlan.resolve(spec, data()));
    assertEquals("pipeline[1]", e.field());
    assertTrue(e.getMessage().contains("stage 'standard_scaler' (StandardScaler) does not fit the columns before it"),
        e.getMessage());
    assertTrue(e.getMessage().contains("rawr"), e.getMessage());
    assertTrue(e.getMessage().contains("[f1, f2, f3, f4, label, raw]"), e.getMessage());
  }

  @Test
  void choiceOfOne_isRejected() {
    SpecException e = assertThrows(SpecException.class, () -> parse(FAMILIES_SPEC.replace(
        "{choice: [logistic_regression, random_forest_classifier, {stage: gbt_classifier, name: gbt}]}",
        "{choice: [logistic_regression]}")));
    assertEquals("estimator.choice", e.field());
    assertTrue(e.getMessage().contains("expected at least two candidate estimators"), e.getMessage());
  }

  @Test
  void choiceWithACandidateOfAnotherTask_isRejected() {
    SpecException e = rejected(FAMILIES_SPEC.replace("random_forest_classifier,", "random_forest_regressor,")
        .replace("random_forest_classifier.numTrees", "random_forest_regressor.numTrees"));
    assertEquals("estimator.choice[1]", e.field());
    assertTrue(e.getMessage().contains("candidate 'random_forest_regressor' is a regression estimator, but "
        + "'logistic_regression' is a classification one"), e.getMessage());
  }

  @Test
  void choiceWithAClassifierOnAContinuousLabel_isRejected() {
    Path reg = SparkTestSession.dataFile("sample_linear_regression_data.csv");
    JobSpec spec = parse(FAMILIES_SPEC.replace(MULTICLASS.toString(), reg.toString()));
    SpecException e = assertThrows(SpecException.class, () -> SparkStudyPlan.resolve(spec,
        SparkData.load(SparkTestSession.get(), spec.data())));
    assertEquals("data.label", e.field());
  }

  @Test
  void whenOnAParameterOfAnotherFamily_isRejected() {
    SpecException e = rejected(FAMILIES_SPEC.replace("when: {gbt.maxDepth: [2, 3]}",
        "when: {random_forest_classifier.numTrees: [5, 10]}"));
    assertEquals("space.gbt.stepSize.when", e.field());
    assertTrue(e.getMessage().contains("'gbt.stepSize' is a parameter of family 'gbt', but its condition names "
        + "'random_forest_classifier.numTrees'"), e.getMessage());
  }

  @Test
  void bareNameWithFamilies_asksForTheFamily() {
    SpecException e = rejected(FAMILIES_SPEC.replace("logistic_regression.regParam:", "regParam:"));
    assertEquals("space.regParam", e.field());
    assertTrue(e.getMessage().contains("such as 'logistic_regression.regParam'"), e.getMessage());
  }

  @Test
  void twoStagesWithTheSameName_areRejected() {
    SpecException e = assertThrows(SpecException.class, () -> parse(PCA_SPEC.replace(
        "{stage: standard_scaler,", "{stage: standard_scaler, name: pca,")));
    assertEquals("pipeline[2].name", e.field());
    assertTrue(e.getMessage().contains("two stages are named 'pca'"), e.getMessage());
  }

  @Test
  void repeatedStagesWithoutNames_areNumbered() {
    JobSpec spec = parse(PCA_SPEC.replace("  - {stage: pca,", "  - {stage: standard_scaler, inputCol: scaled, "
        + "outputCol: scaled2}\n  - {stage: pca,").replace("inputCol: scaled, outputCol: features",
        "inputCol: scaled2, outputCol: features"));
    assertEquals(List.of("vector_assembler", "standard_scaler_1", "standard_scaler_2", "pca"),
        spec.pipeline().stream().map(s -> s.name()).toList());
  }

  // From the user's objects, as the API builds it.

  @Test
  void objects_paramsOfAnyStage_areKeyedByStageAndBareForTheEstimator() {
    VectorAssembler va = new VectorAssembler().setInputCols(new String[] {"f1", "f2", "f3", "f4"})
        .setOutputCol("raw");
    PCA pca = new PCA().setInputCol("raw").setOutputCol("features");
    LogisticRegression lr = new LogisticRegression();
    Map<Param<?>, Domain> space = new LinkedHashMap<>();
    space.put(pca.k(), IntRange.of("ignored", 2, 4));
    space.put(lr.regParam(), FloatRange.logOf("ignored", 1e-4, 1));
    StudyPipeline p = StudyPipeline.of(new Pipeline().setStages(new PipelineStage[] {va, pca, lr}),
        new BinaryClassificationEvaluator(), space, Map.of());
    assertEquals(List.of("pca.k", "regParam"), p.space().names());
    assertEquals(1, p.prefixLength());
    assertEquals("areaUnderROC", p.metric());
    assertEquals(3, ((PCA) p.configured(1, Map.of("pca.k", 3, "regParam", 0.1))).getK());
    assertFalse(pca.isSet(pca.k()), "the user's stage is not changed");
  }

  @Test
  void objects_paramOfNoStage_isRejectedNamingTheSetting() {
    LogisticRegression lr = new LogisticRegression();
    StandardScaler other = new StandardScaler();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyPipeline.of(lr,
        new BinaryClassificationEvaluator(), Map.of(other.withMean(), new Categorical("x", List.of(true, false))),
        Map.of()));
    assertTrue(e.getMessage().startsWith("searchSpace: the param 'withMean' belongs to " + other.uid()),
        e.getMessage());
  }
}
