package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import io.tunelake.optimize.Direction;
import io.tunelake.space.IntRange;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.JobSpecParser;
import io.tunelake.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSession.class)
class SparkStudyPlanTest {

  static String spec(String dataPath) {
    return String.join("\n",
        "study: plan-test",
        "data: {path: '" + dataPath + "'}",
        "estimator: random_forest_classifier",
        "space:",
        "  maxDepth: {low: 2, high: 8}",
        "  impurity: [gini, entropy]",
        "search: {trials: 2}",
        "");
  }

  static JobSpec parse(String... overrides) {
    return JobSpecParser.parse(spec("unused.csv"), List.of(overrides));
  }

  static SpecException rejectedStatically(String... overrides) {
    return assertThrows(SpecException.class, () -> SparkStudyPlan.checkStatic(parse(overrides)));
  }

  static Dataset<Row> csv(Path path) {
    return SparkData.load(SparkTestSession.get(), JobSpecParser.parse(spec(path.toString()), List.of()).data());
  }

  @Test
  void checkStatic_validSpec_typesTheSpaceFromMllibParams() {
    SparkStudyPlan.Static s = SparkStudyPlan.checkStatic(parse());
    assertEquals(Task.CLASSIFICATION, s.task());
    assertInstanceOf(IntRange.class, s.space().domain("maxDepth").orElseThrow());
  }

  @Test
  void checkStatic_unknownEstimator_suggestsNearest() {
    SpecException e = rejectedStatically("estimator=random_forrest_classifier");
    assertEquals("estimator", e.field());
    assertTrue(e.getMessage().contains("did you mean 'random_forest_classifier'?"), e.getMessage());
  }

  @Test
  void checkStatic_unknownParam_suggestsNearestMllibParam() {
    SpecException e = rejectedStatically("space.maxDept={low: 2, high: 4}");
    assertEquals("space.maxDept", e.field());
    assertTrue(e.getMessage().contains("unknown parameter of random_forest_classifier 'maxDept'; did you mean "
        + "'maxDepth'?"), e.getMessage());
  }

  @Test
  void checkStatic_fractionalRangeOnIntegerParam_isRejected() {
    SpecException e = rejectedStatically("space.maxDepth={low: 2.5, high: 8}");
    assertEquals("space.maxDepth", e.field());
    assertTrue(e.getMessage().contains("integer bounds"), e.getMessage());
  }

  @Test
  void checkStatic_valueOutsideMllibValidator_quotesParamDoc() {
    SpecException e = rejectedStatically("estimator=logistic_regression", "space={elasticNetParam: {low: 0.0, high: 2.0}}");
    assertEquals("space.elasticNetParam", e.field());
    assertTrue(e.getMessage().contains("but got '2.0'"), e.getMessage());
    assertTrue(e.getMessage().contains("alpha = 1"), e.getMessage());
  }

  @Test
  void checkStatic_metricOfAnotherTask_isRejected() {
    SpecException e = rejectedStatically("evaluation.metric=rmse");
    assertEquals("evaluation.metric", e.field());
    assertTrue(e.getMessage().contains("unknown metric for random_forest_classifier (classification) 'rmse'"),
        e.getMessage());
  }

  @Test
  void checkStatic_stratifiedRegression_isRejected() {
    SpecException e = rejectedStatically("estimator=linear_regression", "space={regParam: {low: 0.0, high: 1.0}}",
        "evaluation.strategy=stratified");
    assertEquals("evaluation.strategy", e.field());
  }

  @Test
  void resolve_missingLabelColumn_namesColumnsThatExist() {
    Path data = SparkTestSession.dataFile("sample_multiclass_classification_data.csv");
    JobSpec spec = JobSpecParser.parse(spec(data.toString()), List.of("data.label=target"));
    SpecException e = assertThrows(SpecException.class, () -> SparkStudyPlan.resolve(spec, csv(data)));
    assertEquals("data.label", e.field());
    assertTrue(e.getMessage().contains("'target'"), e.getMessage());
    assertTrue(e.getMessage().contains("[f1, f2, f3, f4, label]"), e.getMessage());
  }

  @Test
  void resolve_missingFeatureColumn_isRejected() {
    Path data = SparkTestSession.dataFile("sample_multiclass_classification_data.csv");
    JobSpec spec = JobSpecParser.parse(spec(data.toString()), List.of("data.features=[f1, f9]"));
    SpecException e = assertThrows(SpecException.class, () -> SparkStudyPlan.resolve(spec, csv(data)));
    assertEquals("data.features", e.field());
    assertTrue(e.getMessage().contains("'f9'"), e.getMessage());
  }

  @Test
  void resolve_emptyData_isRejected() throws Exception {
    Path empty = SparkTestSession.tempDir("empty").resolve("empty.csv");
    Files.writeString(empty, "f1,f2,label\n");
    JobSpec spec = JobSpecParser.parse(spec(empty.toString()), List.of());
    SpecException e = assertThrows(SpecException.class, () -> SparkStudyPlan.resolve(spec, csv(empty)));
    assertEquals("data", e.field());
    assertTrue(e.getMessage().contains("has no rows; expected a non-empty data set"), e.getMessage());
  }

  @Test
  void resolve_missingPath_isRejected() {
    JobSpec spec = JobSpecParser.parse(spec("/nonexistent/nothing.csv"), List.of());
    SpecException e = assertThrows(SpecException.class,
        () -> SparkData.load(SparkTestSession.get(), spec.data()));
    assertEquals("data.path", e.field());
  }

  @Test
  void resolve_binaryMetricOnMulticlassLabel_isRejected() {
    Path data = SparkTestSession.dataFile("sample_multiclass_classification_data.csv");
    JobSpec spec = JobSpecParser.parse(spec(data.toString()), List.of("evaluation.metric=areaUnderROC"));
    SpecException e = assertThrows(SpecException.class, () -> SparkStudyPlan.resolve(spec, csv(data)));
    assertEquals("evaluation.metric", e.field());
    assertTrue(e.getMessage().contains("needs a binary label, but the label has 3 classes"), e.getMessage());
  }

  @Test
  void resolve_defaults_followTheTask() {
    Path data = SparkTestSession.dataFile("sample_multiclass_classification_data.csv");
    JobSpec spec = JobSpecParser.parse(spec(data.toString()), List.of());
    SparkStudyPlan plan = SparkStudyPlan.resolve(spec, csv(data));
    assertEquals("f1", plan.metric());
    assertEquals(Direction.MAXIMIZE, plan.direction());
    assertEquals("stratified", plan.strategy());
    assertEquals(3, plan.numClasses());
    assertEquals(List.of("f1", "f2", "f3", "f4"), plan.columns().numeric());
  }
}
