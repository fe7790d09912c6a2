package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every bad pipeline, family or space input of a spec stops {@code tune} with exit code 2 and a
 * message naming the field, the value and what was expected, before any table is written.
 */
@ExtendWith(SparkTestSession.class)
class PipelineSpecCliTest {
  static final String DATA = SparkTestSession.dataFile("sample_multiclass_classification_data.csv").toString();

  static String spec(String pipeline, String estimator, String space) {
    return String.join("\n",
        "study: bad-pipeline",
        "data: {path: '" + DATA + "'}",
        "pipeline:",
        "  - {stage: vector_assembler, inputCols: [f1, f2, f3, f4], outputCol: raw}",
        "  - " + pipeline,
        "estimator: " + estimator,
        "space: " + space,
        "");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown stage          | {stage: pcaa, inputCol: raw, outputCol: features, k: 2}  | logistic_regression | {regParam: [0.1]} | field 'pipeline[1].stage': unknown stage 'pcaa'; did you mean 'pca'?
      class outside the list | {stage: java.lang.Runtime}                               | logistic_regression | {regParam: [0.1]} | field 'pipeline[1].stage': expected an MLlib feature stage of the allow-list
      param the stage lacks  | {stage: pca, inputCol: raw, outputCol: features, kk: 2}  | logistic_regression | {regParam: [0.1]} | field 'pipeline[1].kk': unknown parameter of pca 'kk'; did you mean 'k'?
      space key of no stage  | {stage: pca, inputCol: raw, outputCol: features}         | logistic_regression | {pcb.k: [2, 3]}   | field 'space.pcb.k': unknown stage 'pcb'; did you mean 'pca'?
      tuned param it lacks   | {stage: pca, inputCol: raw, outputCol: features}         | logistic_regression | {pca.kay: [2, 3]} | field 'space.pca.kay': unknown parameter of pca 'kay'
      missing input column   | {stage: pca, inputCol: rawr, outputCol: features, k: 2}  | logistic_regression | {regParam: [0.1]} | field 'pipeline[1]': stage 'pca' (PCA) does not fit the columns before it
      choice of one          | {stage: pca, inputCol: raw, outputCol: features, k: 2}   | {choice: [logistic_regression]} | {regParam: [0.1]} | field 'estimator.choice': expected at least two candidate estimators
      choice of two tasks    | {stage: pca, inputCol: raw, outputCol: features, k: 2}   | '[logistic_regression, linear_regression]' | {logistic_regression.regParam: [0.1]} | field 'estimator.choice[1]': candidate 'linear_regression' is a regression estimator
      when of another family | {stage: pca, inputCol: raw, outputCol: features, k: 2}   | '[logistic_regression, random_forest_classifier]' | '{logistic_regression.regParam: [0.1, 1.0], random_forest_classifier.maxDepth: {low: 2, high: 4, when: {logistic_regression.regParam: [0.1]}}}' | field 'space.random_forest_classifier.maxDepth.when'
      two stages one name    | {stage: pca, name: vector_assembler, inputCol: raw, outputCol: features, k: 2} | logistic_regression | {regParam: [0.1]} | field 'pipeline[1].name': two stages are named 'vector_assembler'
      """)
  void tune_badPipelineInput_exitsTwoBeforeAnyTable(String what, String pipeline, String estimator, String space,
      String expected) throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = TuneCommandTest.spec(spec(pipeline, estimator, space));
    TuneCommandTest.Run run = TuneCommandTest.cli("tune", spec.toString(), "--store", store.resolve("tables").toString());
    assertEquals(ExitCodes.INVALID, run.code(), what + ": " + run.err());
    assertTrue(run.err().contains(expected), what + ": " + run.err());
    assertFalse(Files.exists(store.resolve("tables")), what);
  }
}
