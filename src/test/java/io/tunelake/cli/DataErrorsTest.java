package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tunelake.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Errors only the data can show, caught right after it is read: exit code 2, one line naming the
 * field, the value and the fix, and nothing written to the store (no tables, no fold assignment).
 */
@ExtendWith(SparkTestSession.class)
class DataErrorsTest {

  /** A CSV of {@code x, label} rows, one per label, x counting up from 1. */
  static Path csv(String... labels) throws Exception {
    List<String> lines = new ArrayList<>(List.of("x,g,label"));
    for (int i = 0; i < labels.length; i++) {
      lines.add((i + 1) + "," + (i % 3) + "," + labels[i]);
    }
    Path f = SparkTestSession.tempDir("data").resolve("rows.csv");
    Files.write(f, lines);
    return f;
  }

  static String[] repeat(int n, String... pattern) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = pattern[i % pattern.length];
    }
    return out;
  }

  /** Runs {@code tune} on the data with the given estimator and evaluation; returns its stderr. */
  static String tuneFails(Path data, String estimator, String evaluation, String test) throws Exception {
    Path store = SparkTestSession.tempDir("store").resolve("tables");
    Path spec = TuneCommandTest.spec(String.join("\n",
        "study: data-errors",
        "data: {path: '" + data + "', features: [x], test_fraction: " + test + "}",
        "estimator: " + estimator,
        "space: {maxIter: 5}",
        "evaluation: " + evaluation,
        "search: {algorithm: random, trials: 1}",
        ""));
    TuneCommandTest.Run run = TuneCommandTest.cli("tune", spec.toString(), "--store", store.toString());
    assertEquals(ExitCodes.INVALID, run.code(), run.err());
    assertFalse(Files.exists(store), "the store was written: " + store);
    assertEquals(1, run.err().strip().lines().count(), run.err());
    return run.err().strip();
  }

  @Test
  void tune_binaryLabelWithOneClass_isRefused() throws Exception {
    Path data = csv(repeat(30, "0"));
    assertEquals("tunelake: invalid spec: field 'data.label': a classifier needs at least 2 classes, but column "
        + "'label' holds only class 0 in '" + data + "'; check the label column and the data",
        tuneFails(data, "logistic_regression", "{folds: 2}", "0.2"));
  }

  @Test
  void tune_labelsOneAndTwo_mustBeZeroToKMinusOne() throws Exception {
    Path data = csv(repeat(30, "1", "2"));
    assertEquals("tunelake: invalid spec: field 'data.label': class labels must be 0..k-1, found 1 and 2 in column "
        + "'label'; re-index them to 0..1 (e.g. with StringIndexer, or subtract 1)",
        tuneFails(data, "logistic_regression", "{folds: 2}", "0.2"));
  }

  @Test
  void tune_nonNumericLabel_namesTheValueAndItsLine() throws Exception {
    String[] labels = repeat(30, "0", "1");
    labels[6] = "yes";
    Path data = csv(labels);
    assertEquals("tunelake: invalid spec: field 'data.label': expected a numeric label column (class indices 0..k-1 "
        + "for a classifier, a real number for regression), but column 'label' is string, e.g. 'yes' on line 8 of "
        + data + "; fix those rows or name the label column with data.label",
        tuneFails(data, "logistic_regression", "{folds: 2}", "0.2"));
  }

  @Test
  void tune_nonNumericValueInANumericFeature_namesTheColumnTheValueAndItsLine() throws Exception {
    Path data = csv(repeat(30, "0", "1"));
    List<String> lines = new ArrayList<>(Files.readAllLines(data));
    lines.set(16, lines.get(16).replaceFirst("^16,", "abc,"));
    Files.write(data, lines);
    assertEquals("tunelake: invalid spec: field 'data.features': column 'x' holds numbers but also 'abc' on line 17 of "
        + data + "; expected a number in every row of a numeric column; fix those rows, or set data.options.nullValue "
        + "if 'abc' marks a missing value", tuneFails(data, "logistic_regression", "{folds: 2}", "0.2"));
  }

  @Test
  void tune_fractionalClassLabel_namesItsLine() throws Exception {
    String[] labels = repeat(30, "0", "1");
    labels[3] = "0.5";
    Path data = csv(labels);
    assertEquals("tunelake: invalid spec: field 'data.label': column 'label' holds 0.5 on line 5 of " + data
        + "; expected class indices 0..k-1 for a classifier (is this a regression task?)",
        tuneFails(data, "logistic_regression", "{folds: 2}", "0.2"));
  }

  @Test
  void tune_emptyLabel_namesItsLine() throws Exception {
    String[] labels = repeat(30, "0", "1");
    labels[9] = "";
    Path data = csv(labels);
    assertEquals("tunelake: invalid spec: field 'data.label': column 'label' has an empty value on line 11 of "
        + data + "; expected a label in every row; drop or fill those rows",
        tuneFails(data, "logistic_regression", "{folds: 2}", "0.2"));
  }

  @Test
  void tune_moreFoldsThanRows_exitsTwoWithoutAFoldAssignment() throws Exception {
    Path data = csv(repeat(6, "1.5", "2.5", "3.5"));
    assertEquals("tunelake: invalid spec: field 'evaluation.folds': 10 folds need at least 10 training rows (one "
        + "per fold), but got 6; lower evaluation.folds or add rows",
        tuneFails(data, "linear_regression", "{folds: 10}", "0"));
  }

  @Test
  void tune_fewerRowsThanFoldsTimesClasses_isRefused() throws Exception {
    Path data = csv(repeat(8, "0", "1", "2"));
    assertEquals("tunelake: invalid spec: field 'evaluation.folds': 3 folds need at least 9 training rows (folds × "
        + "classes = 3 × 3), but got 8; lower evaluation.folds or add rows",
        tuneFails(data, "logistic_regression", "{folds: 3}", "0"));
  }

  @Test
  void tune_stratifiedFoldWithOneClass_isRefused() throws Exception {
    String[] labels = repeat(30, "0");
    labels[4] = "1";
    labels[20] = "1";
    Path data = csv(labels);
    assertEquals("tunelake: invalid spec: field 'evaluation.folds': with strategy 'stratified', fold 3/3 would have "
        + "only class 0 (class 1 has 2 training rows) in its validation rows; expected at least 2 classes and one "
        + "row on each side; lower evaluation.folds, choose another strategy or add rows",
        tuneFails(data, "logistic_regression", "{folds: 3}", "0"));
  }

  @Test
  void tune_fewerGroupsThanFolds_isRefusedBeforeTheStoreIsOpened() throws Exception {
    Path data = csv(repeat(30, "0", "1"));
    assertEquals("tunelake: invalid spec: field 'evaluation.folds': with strategy 'group', fold 2/4 would have no "
        + "rows (fewer groups in 'g' than folds?) in its validation rows; expected at least 2 classes and one row "
        + "on each side; lower evaluation.folds, choose another strategy or add rows",
        tuneFails(data, "logistic_regression", "{folds: 4, strategy: group, group_column: g}", "0"));
  }
}
