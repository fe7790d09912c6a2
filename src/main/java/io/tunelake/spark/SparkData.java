package io.tunelake.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.tunelake.spec.JobSpec;
import io.tunelake.spec.SpecException;
import io.tunelake.spec.SpecPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;

/**
 * Reads a study's input data as the spec describes it, and checks the rows it holds (label
 * classes, enough rows for the folds) right after the read, before anything is written.
 */
public final class SparkData {
  /** Beyond this many distinct labels a column is not a classification label. */
  static final int MAX_CLASSES = 1000;

  private SparkData() {}

  /** The spec's data as a DataFrame (lazy, but schema inference for CSV reads the file once). */
  public static Dataset<Row> load(SparkSession spark, JobSpec.Data data) {
    try {
      if (data.table() != null) {
        return spark.table(data.table());
      }
      DataFrameReader reader = spark.read().format(data.format()).options(data.options());
      return reader.load(data.path());
    } catch (Exception e) {
      if (e instanceof AnalysisException || e.getCause() instanceof AnalysisException
          || e instanceof IllegalArgumentException) {
        String what = data.table() != null ? "data.table" : "data.path";
        throw new SpecException(what, "cannot read '" + data.location() + "' as " + data.format() + ": "
            + firstLine(e.getMessage()) + "; expected an existing " + (data.table() != null ? "table" : "path"));
      }
      throw e;
    }
  }

  /**
   * Checks the rows a study tunes on, with one aggregation over the data: a classifier's label
   * holds class indices 0..k-1, every class present and at least two of them in the training
   * rows; there are enough training rows for the folds (folds × classes for a classifier), and
   * stratified folds each get two classes. Returns the number of classes (0 for other tasks).
   */
  static int checkRows(JobSpec spec, Task task, Dataset<Row> data, SparkStudyPlan.Columns columns, String strategy,
      int folds) {
    Dataset<Row> used = data.select(columns.used().stream().map(functions::col).toArray(Column[]::new));
    double testFraction = spec.data().testFraction();
    boolean time = strategy.equals("time");
    Column held = time ? lit(false)
        : SparkFolds.heldOut(used, strategy, columns.group(), testFraction, spec.search().seed());
    boolean classifier = task == Task.CLASSIFICATION;
    String label = columns.label();
    Column cls = classifier ? col(label).cast("double") : lit(0.0);
    // The same aggregation counts, per string feature of a CSV, its values that are numbers and
    // those that are not: a column of numbers with one bad value is inferred as a string column.
    List<String> strings = "csv".equals(spec.data().format()) ? columns.strings() : List.of();
    List<Column> sums = new ArrayList<>();
    for (String s : strings) {
      Column number = col(s).try_cast("double").isNotNull();
      sums.add(functions.sum(functions.when(number, 1L).otherwise(0L)));
      sums.add(functions.sum(functions.when(col(s).isNotNull().and(functions.trim(col(s)).notEqual(""))
          .and(functions.not(number)), 1L).otherwise(0L)));
    }
    List<Row> counts = used.groupBy(cls.as("c"), held.as("t")).agg(functions.count(lit(1)), sums.toArray(Column[]::new))
        .limit(2 * MAX_CLASSES + 2).collectAsList();
    checkNumbers(spec, used, strings, counts);
    Map<Double, Long> all = new TreeMap<>();
    Map<Double, Long> train = new TreeMap<>();
    for (Row r : counts) {
      if (r.isNullAt(0)) {
        throw SpecException.labelEmpty(label, lineOf(spec.data(), label, String::isEmpty));
      }
      all.merge(r.getDouble(0), r.getLong(2), Long::sum);
      if (!r.getBoolean(1)) {
        train.merge(r.getDouble(0), r.getLong(2), Long::sum);
      }
    }
    if (all.isEmpty()) {
      throw noRows(spec);
    }
    long allRows = all.values().stream().mapToLong(Long::longValue).sum();
    long trainRows = time ? allRows - SparkFolds.timeTestRows(allRows, testFraction)
        : train.values().stream().mapToLong(Long::longValue).sum();
    int k = classifier ? checkClasses(spec, label, all, time ? all : train) : 1;
    int blocks = strategy.equals("holdout") ? 2 : time ? folds + 1 : folds;
    if (trainRows < (long) blocks * k) {
      String rule = strategy.equals("holdout") ? "a training and a validation side" : time
          ? "folds + 1 time blocks" : "one per fold";
      if (classifier) {
        rule = strategy.equals("holdout") ? "2 sides × " + k + " classes" : time ? "(folds + 1) × classes = "
            + blocks + " × " + k : "folds × classes = " + folds + " × " + k;
      }
      if (strategy.equals("holdout")) {
        throw SpecException.tooFewRows("data", "a holdout split needs", (long) blocks * k, rule, trainRows, allRows,
            "add rows or lower data.test_fraction");
      }
      throw SpecException.tooFewRows("evaluation.folds", folds + " folds need", (long) blocks * k, rule, trainRows,
          allRows, "lower evaluation.folds or add rows");
    }
    if (classifier && strategy.equals("stratified")) {
      // Each class is dealt round-robin from fold 1, so fold f holds the classes with at least f rows.
      List<Map.Entry<Double, Long>> byCount = new ArrayList<>(train.entrySet());
      byCount.sort(Map.Entry.<Double, Long>comparingByValue().reversed());
      long second = byCount.get(1).getValue();
      if (second < folds) {
        String held2 = byCount.get(0).getValue() > second ? "only class "
            + SpecException.number(byCount.get(0).getKey()) : "no rows";
        throw SpecException.badFold("stratified", (int) second + 1, folds, "validation", held2 + " (class "
            + SpecException.number(byCount.get(1).getKey()) + " has " + second + " training rows)");
      }
    }
    return k;
  }

  /**
   * Refuses a string column of {@code strings} whose values are mostly numbers ({@code counts}
   * hold each one's numbers and other values from column 3 on), naming its first other value
   * and that value's line.
   */
  private static void checkNumbers(JobSpec spec, Dataset<Row> used, List<String> strings, List<Row> counts) {
    for (int i = 0; i < strings.size(); i++) {
      long numbers = 0;
      long others = 0;
      for (Row r : counts) {
        numbers += r.getLong(3 + 2 * i);
        others += r.getLong(4 + 2 * i);
      }
      if (others > 0 && numbers > others) {
        String column = strings.get(i);
        Column c = col(column);
        String example = used.where(c.isNotNull().and(functions.trim(c).notEqual("")).and(c.try_cast("double").isNull()))
            .select(c.cast("string")).limit(1).collectAsList().get(0).getString(0);
        throw SpecException.featureNotNumeric(column, example, lineOf(spec.data(), column, example::equals));
      }
    }
  }

  /** Class indices 0..k-1, every one present, at least two of them in the training rows; returns k. */
  private static int checkClasses(JobSpec spec, String label, Map<Double, Long> all, Map<Double, Long> train) {
    if (all.size() > MAX_CLASSES) {
      throw new SpecException("data.label", "column '" + label + "' has more than " + MAX_CLASSES
          + " distinct values; expected class indices 0..k-1 for a classifier (is this a regression task?)");
    }
    for (double v : all.keySet()) {
      if (v < 0 || v != Math.rint(v)) {
        throw SpecException.labelNotClassIndex(label, v, lineOf(spec.data(), label, s -> parsesTo(s, v)));
      }
    }
    List<Double> found = new ArrayList<>(all.keySet());
    if (found.size() < 2) {
      throw SpecException.oneClass(label, found, where(spec));
    }
    if (found.get(found.size() - 1) != found.size() - 1) {
      throw SpecException.labelsNotIndices(label, found);
    }
    if (train.size() < 2) {
      throw SpecException.oneClass(label, new ArrayList<>(train.keySet()), "the training rows of " + where(spec)
          + " (data.test_fraction holds out the rest)");
    }
    return found.size();
  }

  /** The data, as messages name it. */
  private static String where(JobSpec spec) {
    return spec.data().location() == null ? "the data" : "'" + spec.data().location() + "'";
  }

  /** The error for data without a row. */
  static SpecException noRows(JobSpec spec) {
    return new SpecException("data", where(spec) + " has no rows; expected a non-empty data set");
  }

  /** Whether the label is a numeric column of {@code data}, or there is no label to check. */
  static boolean labelIsNumeric(JobSpec spec, Task task, Dataset<Row> data) {
    String label = spec.data().label();
    return task == Task.CLUSTERING || !List.of(data.columns()).contains(label)
        || data.schema().apply(label).dataType() instanceof NumericType;
  }

  /**
   * Checks that the label column, if it is there, is numeric; otherwise names a value that is not
   * a number, and its line where the reader can tell.
   */
  static void checkLabelType(JobSpec spec, Task task, Dataset<Row> data) {
    if (labelIsNumeric(spec, task, data)) {
      return;
    }
    String label = spec.data().label();
    DataType type = data.schema().apply(label).dataType();
    List<Row> bad = data.where(col(label).isNotNull().and(col(label).try_cast("double").isNull()))
        .select(col(label).cast("string")).limit(1).collectAsList();
    String example = bad.isEmpty() ? null : bad.get(0).getString(0);
    String where = example == null ? "" : lineOf(spec.data(), label, example::equals);
    throw SpecException.labelNotNumeric(label, type.simpleString(), example, where);
  }

  private static boolean parsesTo(String text, double v) {
    try {
      return Double.parseDouble(text) == v;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * " on line N of PATH" for the first data line of a local CSV file with a header whose
   * {@code column} field matches, or "" when the reader cannot tell. Read on the error path only.
   */
  static String lineOf(JobSpec.Data data, String column, Predicate<String> matches) {
    Optional<Path> file = data.path() == null ? Optional.empty() : SpecPaths.local(data.path());
    if (!"csv".equals(data.format()) || file.isEmpty() || !Files.isRegularFile(file.get())
        || !"true".equalsIgnoreCase(data.options().get("header"))) {
      return "";
    }
    String sep = data.options().getOrDefault("sep", data.options().getOrDefault("delimiter", ","));
    try (BufferedReader in = Files.newBufferedReader(file.get())) {
      String header = in.readLine();
      int index = header == null ? -1 : fields(header, sep).indexOf(column);
      if (index < 0) {
        return "";
      }
      long line = 1;
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        List<String> f = fields(text, sep);
        if (matches.test(index < f.size() ? f.get(index) : "")) {
          return " on line " + line + " of " + data.path();
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // Unreadable here (encoding, permissions): the message goes without the line.
    }
    return "";
  }

  private static List<String> fields(String line, String sep) {
    List<String> out = new ArrayList<>();
    for (String f : line.split(Pattern.quote(sep), -1)) {
      String t = f.trim();
      out.add(t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t);
    }
    return out;
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
