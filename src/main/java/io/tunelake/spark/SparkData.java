package io.tunelake.spark;

import static org.apache.spark.sql.functions.col;

import io.tunelake.spec.JobSpec;
import io.tunelake.spec.SpecException;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads a study's input data as the spec describes it, and the label facts the plan needs. */
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
   * The number of classes of a classification label (max index + 1, as MLlib counts them);
   * every label must be a non-negative whole number.
   */
  static int classCount(Dataset<Row> data, String label) {
    List<Row> distinct = data.select(col(label).cast("double")).distinct().limit(MAX_CLASSES + 1).collectAsList();
    if (distinct.size() > MAX_CLASSES) {
      throw new SpecException("data.label", "column '" + label + "' has more than " + MAX_CLASSES
          + " distinct values; expected class indices 0..k-1 for a classifier (is this a regression task?)");
    }
    double max = 0;
    for (Row r : distinct) {
      if (r.isNullAt(0)) {
        throw new SpecException("data.label", "column '" + label + "' has empty values; expected a class index "
            + "in every row");
      }
      double v = r.getDouble(0);
      if (v < 0 || v != Math.rint(v)) {
        throw new SpecException("data.label", "column '" + label + "' holds " + v
            + "; expected class indices 0..k-1 for a classifier");
      }
      max = Math.max(max, v);
    }
    return (int) max + 1;
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
