package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Re-running a study with a changed spec, through the real CLI on the shared session. */
@ExtendWith(SparkTestSession.class)
class TuneDriftTest {

  static String yaml(String regParam, int folds) {
    return String.join("\n",
        "study: drifting",
        "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
        "estimator: logistic_regression",
        "space:",
        "  regParam: " + regParam,
        "  maxIter: 10",
        "evaluation: {metric: accuracy, folds: " + folds + "}",
        "search: {algorithm: random, trials: 2, batch_size: 2, seed: 3}",
        "");
  }

  @Test
  void tune_changedSpaceAndFolds_isRefusedNamingEachChange_unlessContinued() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path original = TuneCommandTest.spec(yaml("{low: 0.001, high: 1.0, log: true}", 2));
    TuneCommandTest.Run first = TuneCommandTest.cli("tune", original.toString(), "--store", store.toString());
    assertEquals(0, first.code(), first.err());

    TuneCommandTest.Run budget = TuneCommandTest.cli("tune", original.toString(), "--store", store.toString(),
        "--set", "search.batch_size=1");
    assertEquals(0, budget.code(), "a search setting is no drift: " + budget.err());

    Path changed = TuneCommandTest.spec(yaml("{low: 0.01, high: 1.0, log: true}", 3));
    TuneCommandTest.Run refused = TuneCommandTest.cli("tune", changed.toString(), "--store", store.toString());
    assertEquals(ExitCodes.REFUSED, refused.code(), refused.err());
    assertTrue(refused.err().contains("study 'drifting' was run before with a different search space, data, "
        + "pipeline or metric"), refused.err());
    assertTrue(refused.err().contains("space.regParam: {low: 0.001, high: 1, log: true, type: float} → "
        + "{low: 0.01, high: 1, log: true, type: float}; evaluation.folds: 2 → 3."), refused.err());
    assertEquals(2, TuneCommandTest.table(store, "trials").count(), "a refused run writes nothing");

    TuneCommandTest.Run continued = TuneCommandTest.cli("tune", changed.toString(), "--store", store.toString(),
        "--continue", "--set", "search.trials=3");
    assertEquals(0, continued.code(), continued.err());
    assertEquals(3, TuneCommandTest.table(store, "trials").count());
    TuneCommandTest.Run again = TuneCommandTest.cli("tune", changed.toString(), "--store", store.toString(),
        "--set", "search.trials=3");
    assertEquals(0, again.code(), "the continued spec is now the study's: " + again.err());
  }
}
