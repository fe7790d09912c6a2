package io.tunelake.spec;

/**
 * A job spec (or the data it names) that cannot be run: names the field, the value found and
 * what was expected. Raised before any Spark job starts; the CLI exits with code 2.
 */
public final class SpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public SpecException(String field, String message) {
    super(field == null || field.isEmpty() ? message : "field '" + field + "': " + message);
    this.field = field;
  }

  public SpecException(String field, String message, Throwable cause) {
    this(field, message);
    initCause(cause);
  }

  /** The dotted path of the offending field, e.g. {@code search.trials}. */
  public String field() {
    return field;
  }

  /** "expected X, but got 'v'" for field {@code field}. */
  public static SpecException expected(String field, String expected, Object actual) {
    return new SpecException(field, "expected " + expected + ", but got " + quote(actual));
  }

  /** "expected X, but got 'v'; fix" for field {@code field}. */
  public static SpecException expected(String field, String expected, Object actual, String fix) {
    return new SpecException(field, "expected " + expected + ", but got " + quote(actual) + "; " + fix);
  }

  /** An unknown name, with the nearest valid one suggested. */
  public static SpecException unknown(String field, String what, String actual, java.util.Collection<String> valid) {
    String hint = Names.nearest(actual, valid).map(n -> "; did you mean '" + n + "'? Expected one of ")
        .orElse("; expected one of ");
    return new SpecException(field, "unknown " + what + " '" + actual + "'" + hint + valid);
  }

  /** A local {@code data.path} that does not exist. */
  public static SpecException missingDataPath(String path, java.nio.file.Path resolved) {
    return new SpecException("data.path", "'" + path + "' does not exist" + (resolved.toString().equals(path) ? ""
        : " (looked for " + resolved + ")") + "; expected an existing file or directory; relative paths are read "
        + "from the working directory");
  }

  /** A local {@code store.path} that is, or lies under, a file. */
  public static SpecException storeNotADirectory(java.nio.file.Path store, java.nio.file.Path file) {
    String where = store.equals(file) ? "'" + store + "' is a file" : "'" + store + "' lies under the file '" + file
        + "'";
    return new SpecException("store.path", where + "; expected a directory for the Delta tables and models (or a "
        + "path that does not exist yet); pass another with --store or store.path");
  }

  /** A local {@code store.path} in a directory this process cannot write. */
  public static SpecException storeNotWritable(java.nio.file.Path store, java.nio.file.Path dir) {
    return new SpecException("store.path", "'" + store + "' cannot be written: '" + dir + "' is not writable by "
        + "this user; expected a writable directory; pass another with --store or store.path");
  }

  /**
   * A label column whose values are not numbers; {@code example} is one offending value and
   * {@code where} says where it is ("on line 7 of data/x.csv"), empty when the reader cannot say.
   */
  public static SpecException labelNotNumeric(String column, String type, String example, String where) {
    return new SpecException("data.label", "expected a numeric label column (class indices 0..k-1 for a "
        + "classifier, a real number for regression), but column '" + column + "' is " + type
        + (example == null ? "" : ", e.g. '" + example + "'" + where) + "; fix those rows or name the label column "
        + "with data.label");
  }

  /** A feature column of numbers with a value that is not one. */
  public static SpecException featureNotNumeric(String column, String example, String where) {
    return new SpecException("data.features", "column '" + column + "' holds numbers but also '" + example + "'"
        + where + "; expected a number in every row of a numeric column; fix those rows, or set data.options.nullValue"
        + " if '" + example + "' marks a missing value");
  }

  /** A label column with empty values. */
  public static SpecException labelEmpty(String column, String where) {
    return new SpecException("data.label", "column '" + column + "' has an empty value" + where + "; expected a "
        + "label in every row; drop or fill those rows");
  }

  /** A classifier's label that is not a class index. */
  public static SpecException labelNotClassIndex(String column, double value, String where) {
    return new SpecException("data.label", "column '" + column + "' holds " + number(value) + where
        + "; expected class indices 0..k-1 for a classifier (is this a regression task?)");
  }

  /** Class labels that are not 0..k-1 with every class present. */
  public static SpecException labelsNotIndices(String column, java.util.List<Double> found) {
    return new SpecException("data.label", "class labels must be 0..k-1, found " + and(found) + " in column '"
        + column + "'; re-index them to 0.." + (found.size() - 1) + " (e.g. with StringIndexer, or subtract "
        + number(found.get(0)) + ")");
  }

  /** A classification label with fewer than two classes in {@code rows}. */
  public static SpecException oneClass(String column, java.util.List<Double> found, String rows) {
    String held = found.isEmpty() ? "no class" : "only class " + number(found.get(0));
    return new SpecException("data.label", "a classifier needs at least 2 classes, but column '" + column
        + "' holds " + held + " in " + rows + "; check the label column and the data");
  }

  /**
   * Too few training rows for the folds: {@code needed} of them ({@code rule} says why), but
   * {@code rows} after the test rows are held out.
   */
  public static SpecException tooFewRows(String field, String what, long needed, String rule, long rows,
      long allRows, String fix) {
    return new SpecException(field, what + " at least " + needed + " training rows (" + rule + "), but got "
        + rows + (rows == allRows ? "" : " (of " + allRows + " rows; data.test_fraction holds out the rest)") + "; "
        + fix);
  }

  /** A fold whose training or validation rows cannot score a model. */
  public static SpecException badFold(String strategy, int fold, int folds, String side, String problem) {
    return new SpecException("evaluation.folds", "with strategy '" + strategy + "', fold " + fold + "/" + folds
        + " would have " + problem + " in its " + side + " rows; expected at least 2 classes and one row on each "
        + "side; lower evaluation.folds, choose another strategy or add rows");
  }

  /** "1 and 2", "0, 3 and 5". */
  static String and(java.util.List<Double> values) {
    java.util.List<String> s = values.stream().map(SpecException::number).toList();
    if (s.size() == 1) {
      return s.get(0);
    }
    return String.join(", ", s.subList(0, s.size() - 1)) + " and " + s.get(s.size() - 1);
  }

  /** A number as a spec would write it: whole numbers without a fraction. */
  public static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  static String quote(Object v) {
    return v == null ? "nothing" : "'" + v + "'";
  }
}
