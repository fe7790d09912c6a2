package io.tunelake.spark;

import io.delta.tables.DeltaTable;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.SpecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lineage side of reading a study's data: which Delta version is read (and reading exactly
 * that one), the id of the fold assignment, and the assignment materialised once under the
 * store so later studies on the same data, seed and folds read it instead of recomputing it.
 */
public final class SparkStudyData {
  private static final Logger LOG = LoggerFactory.getLogger(SparkStudyData.class);

  /** The data format of a study whose rows are a DataFrame handed over by the API. */
  public static final String DATAFRAME = "dataframe";

  private SparkStudyData() {}

  /**
   * The Delta version the study reads: {@code data.version} when pinned, else the table's
   * latest; null when the input is not a Delta table.
   */
  public static Long deltaVersion(SparkSession spark, JobSpec.Data data) {
    if (data.version() != null) {
      return data.version();
    }
    if (data.table() != null) {
      if (!DeltaTable.isDeltaTable(spark, tablePath(spark, data.table()))) {
        return null;
      }
      return DeltaTable.forName(spark, data.table()).history(1).first().getLong(0);
    }
    if ("delta".equals(data.format())) {
      if (!DeltaTable.isDeltaTable(spark, data.path())) {
        throw new SpecException("data.path", "'" + data.path() + "' is not a Delta table; expected a directory "
            + "with a _delta_log, or set data.format");
      }
      return DeltaTable.forPath(spark, data.path()).history(1).first().getLong(0);
    }
    return null;
  }

  private static String tablePath(SparkSession spark, String table) {
    try {
      List<Row> rows = spark.sql("DESCRIBE DETAIL " + table).select("location").collectAsList();
      return rows.isEmpty() ? "" : rows.get(0).getString(0);
    } catch (Exception e) {
      // DESCRIBE DETAIL only answers for Delta (and a few file-based) tables: not a Delta input.
      return "";
    }
  }

  /** The data, read at {@code version} when it is a Delta table, so the recorded version is the one read. */
  public static Dataset<Row> load(SparkSession spark, JobSpec.Data data, Long version) {
    if (version == null) {
      return SparkData.load(spark, data);
    }
    if (data.table() != null) {
      try {
        return spark.read().option("versionAsOf", version).table(data.table());
      } catch (Exception e) {
        if (e instanceof AnalysisException || e.getCause() instanceof AnalysisException) {
          throw new SpecException("data.version", "cannot read version " + version + " of table '" + data.table()
              + "': " + e.getMessage() + "; expected an existing version");
        }
        throw e;
      }
    }
    Map<String, String> options = new LinkedHashMap<>(data.options());
    options.put("versionAsOf", String.valueOf(version));
    return SparkData.load(spark, new JobSpec.Data(data.path(), data.table(), data.format(), options, data.label(),
        data.features(), data.testFraction(), data.version()));
  }

  /**
   * Names the fold assignment by everything it depends on: the input (its Delta version, or
   * the length and modification time of each file read), the columns, the split settings and
   * the seed.
   */
  static String foldAssignmentId(SparkSession spark, SparkStudyPlan plan, Dataset<Row> used, Long version) {
    JobSpec spec = plan.spec();
    Map<String, Object> identity = new TreeMap<>();
    identity.put("location", spec.data().location());
    identity.put("format", spec.data().format());
    identity.put("options", new TreeMap<>(spec.data().options()));
    identity.put("version", version != null ? version
        : DATAFRAME.equals(spec.data().format()) ? contentHash(used) : fingerprint(spark, used));
    identity.put("columns", List.of(used.columns()));
    identity.put("schema", used.schema().json());
    identity.put("label", String.valueOf(plan.columns().label()));
    identity.put("strategy", plan.strategy());
    identity.put("folds", plan.folds());
    identity.put("seed", spec.search().seed());
    identity.put("test_fraction", spec.data().testFraction());
    identity.put("validation_fraction", spec.evaluation().validationFraction());
    identity.put("group", String.valueOf(plan.columns().group()));
    identity.put("order", String.valueOf(plan.columns().order()));
    return plan.strategy() + "-" + plan.folds() + "-" + SparkStudy.hash(identity.toString()).substring(0, 16);
  }

  /**
   * The rows themselves, for a DataFrame handed over by the API: its input files do not say
   * which rows it holds (a filter or a split of the same files holds others). One pass: the
   * count, the XOR and a bounded sum of the rows' 64-bit hashes.
   */
  private static String contentHash(Dataset<Row> data) {
    String hash = "xxhash64(" + java.util.Arrays.stream(data.columns()).map(c -> "`" + c.replace("`", "``") + "`")
        .collect(java.util.stream.Collectors.joining(", ")) + ")";
    Row r = data.selectExpr("count(1)", "bit_xor(" + hash + ")", "sum(pmod(" + hash + ", 2147483647))").first();
    return "rows:" + r.get(0) + ":" + r.get(1) + ":" + r.get(2);
  }

  /** Each input file with its length and modification time where it is local (names only elsewhere). */
  private static List<String> fingerprint(SparkSession spark, Dataset<Row> data) {
    List<String> out = new ArrayList<>();
    for (String f : data.inputFiles()) {
      if (!f.startsWith("file:")) {
        out.add(f);
        continue;
      }
      try {
        java.nio.file.Path p = java.nio.file.Path.of(java.net.URI.create(f));
        out.add(f + ":" + java.nio.file.Files.size(p) + ":" + java.nio.file.Files.getLastModifiedTime(p).toMillis());
      } catch (IOException e) {
        throw new UncheckedIOException("reading the size of input file " + f + " failed", e);
      }
    }
    return out;
  }

  /**
   * The split with its training rows' fold assignment read from {@code path}, stored there
   * first when no earlier study did. The assignment is a function of the id's inputs, so every
   * study on it reads the same rows in the same order: estimators that sample rows (tree
   * ensembles bin features on a sample) then fit the same models in the study that stored it
   * and in the ones that read it. Storing it is also what makes the folds a study was scored
   * on inspectable. A store that cannot hold it (a column name Delta rejects, say) only costs
   * that: the study goes on with the computed split.
   */
  static SparkFolds.Split materialisedFolds(SparkSession spark, String path, SparkFolds.Split split) {
    try {
      if (!DeltaTable.isDeltaTable(spark, path)) {
        split.assigned().write().format("delta").mode("ignore").save(path);
        LOG.info("fold assignment stored at {}", path);
      } else {
        LOG.info("fold assignment read from {}", path);
      }
      Dataset<Row> stored = spark.read().format("delta").load(path).persist(StorageLevel.MEMORY_AND_DISK());
      split.release();
      return new SparkFolds.Split(split.train(), split.test(), stored, split.folds(), split.strategy());
    } catch (Exception e) {
      // Spark's AnalysisException is checked for Java but thrown unchecked from Scala code.
      LOG.warn("the fold assignment could not be stored at {} ({}); the study uses the computed folds", path,
          e.getMessage());
      return split;
    }
  }

}
