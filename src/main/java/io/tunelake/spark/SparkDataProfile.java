package io.tunelake.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_samp;

import io.tunelake.study.DataProfile;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The {@link DataProfile} of a study's data, from one small aggregation over its rows. */
final class SparkDataProfile {
  private SparkDataProfile() {}

  /** The profile of {@code data}, the study's columns as {@code plan} reads them. */
  static DataProfile of(SparkStudyPlan plan, Dataset<Row> data) {
    SparkStudyPlan.Columns c = plan.columns();
    int columns = c.features().size();
    double stringShare = columns == 0 ? 0 : (double) c.strings().size() / columns;
    String label = c.label();
    if (label == null) {
      return new DataProfile(data.count(), columns, stringShare, null, null);
    }
    if (plan.task() == Task.CLASSIFICATION) {
      List<Row> counts = data.groupBy(col(label)).agg(count("*")).collectAsList();
      long rows = counts.stream().mapToLong(r -> r.getLong(1)).sum();
      return new DataProfile(rows, columns, stringShare, balance(counts, rows), null);
    }
    Row r = data.agg(count("*"), stddev_samp(col(label).cast("double")), min(col(label).cast("double")),
        max(col(label).cast("double"))).first();
    long rows = r.getLong(0);
    double range = r.isNullAt(3) ? 0 : r.getDouble(3) - r.getDouble(2);
    double spread = range > 0 && !r.isNullAt(1) ? r.getDouble(1) / range : 0;
    return new DataProfile(rows, columns, stringShare, null, spread);
  }

  /** Normalised entropy of the class shares: 1 when every class is equally common. */
  private static double balance(List<Row> counts, long rows) {
    if (counts.size() < 2 || rows == 0) {
      return 0;
    }
    double h = 0;
    for (Row r : counts) {
      double p = (double) r.getLong(1) / rows;
      h -= p > 0 ? p * Math.log(p) : 0;
    }
    return h / Math.log(counts.size());
  }
}
