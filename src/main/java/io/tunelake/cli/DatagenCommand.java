package io.tunelake.cli;

import io.tunelake.spark.SparkSyntheticData;
import io.tunelake.spark.Task;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code datagen --rows N --out PATH}: writes a synthetic classification or regression data set
 * (see {@link SparkSyntheticData}) as Parquet or Delta, for benchmarks and demos. The rows depend
 * only on the options and the seed, not on {@code --partitions}.
 */
@Command(name = "datagen", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Write a synthetic classification or regression data set (label, x0.., c0..) to PATH.")
final class DatagenCommand implements Callable<Integer> {
  /** Output formats. */
  enum OutputFormat { parquet, delta }

  /** What the label is. */
  enum TaskOption { classification, regression }

  @Option(names = "--out", required = true, paramLabel = "PATH", description = "Where to write (a local path or any "
      + "URI Hadoop writes); must not exist unless --overwrite.")
  String out;

  @Option(names = "--rows", required = true, paramLabel = "N", description = "Number of rows.")
  long rows;

  @Option(names = "--features", paramLabel = "N", defaultValue = "20",
      description = "Columns besides the label (default: ${DEFAULT-VALUE}); those not informative, redundant or "
          + "categorical are noise.")
  int features;

  @Option(names = "--informative", paramLabel = "N", defaultValue = "8",
      description = "Numeric columns the label depends on (default: ${DEFAULT-VALUE}).")
  int informative;

  @Option(names = "--redundant", paramLabel = "N", defaultValue = "4",
      description = "Numeric columns that are linear combinations of the informative ones (default: ${DEFAULT-VALUE}).")
  int redundant;

  @Option(names = "--categorical", paramLabel = "N", defaultValue = "2",
      description = "String columns whose levels shift the label (default: ${DEFAULT-VALUE}).")
  int categorical;

  @Option(names = "--levels", paramLabel = "N", defaultValue = "5",
      description = "Levels of each categorical column (default: ${DEFAULT-VALUE}).")
  int levels;

  @Option(names = "--task", paramLabel = "TASK", defaultValue = "classification",
      description = "classification or regression (default: ${DEFAULT-VALUE}).")
  TaskOption task;

  @Option(names = "--classes", paramLabel = "K",
      description = "Classes, labelled 0..K-1, for classification (default: 2).")
  Integer classes;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "parquet",
      description = "parquet or delta (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Number of files written (default: Spark's default parallelism, one per core locally).")
  Integer partitions;

  @Option(names = "--overwrite", description = "Replace PATH if it exists (a new version for a Delta table).")
  boolean overwrite;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Override
  public Integer call() throws Exception {
    SparkSyntheticData.Shape shape = shape();
    if (partitions != null && (partitions < 1 || partitions > rows)) {
      throw invalid("--partitions must be between 1 and --rows (" + rows + "), but got " + partitions);
    }
    SparkSession spark = SparkSessions.create(master, "tunelake datagen");
    int files = partitions != null ? partitions
        : (int) Math.max(1, Math.min(rows, spark.sparkContext().defaultParallelism()));
    if (!overwrite && localPathExists(out)) {
      throw exists();
    }
    long start = System.nanoTime();
    Dataset<Row> data = SparkSyntheticData.generate(spark, shape, files);
    spark.sparkContext().setJobDescription("tunelake datagen: " + rows + " rows to " + out);
    try {
      data.write().format(format.name()).mode(overwrite ? "overwrite" : "errorifexists").save(out);
    } catch (Exception e) {
      // A remote path is checked by the writer itself, before any job runs.
      if (e instanceof AnalysisException && String.valueOf(e.getMessage()).contains("already exists")) {
        throw exists();
      }
      throw e;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String label = shape.task() == Task.CLASSIFICATION ? "classification, " + shape.classes() + " classes"
        : "regression";
    int i = shape.informative();
    int r = shape.redundant();
    List<String> columns = new ArrayList<>();
    range(columns, "x", 0, i, "informative");
    range(columns, "x", i, r, "redundant");
    range(columns, "x", i + r, shape.noise(), "noise");
    range(columns, "c", 0, shape.categorical(), "categorical (" + shape.levels() + " levels)");
    System.out.printf(Locale.ROOT, "wrote %d rows to %s (%s, %d files) in %.1f s: label (%s); %s; seed %d%n", rows,
        out, format, files, seconds, label, String.join(", ", columns), shape.seed());
    return ExitCodes.OK;
  }

  /** The options as a generator shape; a bad value or combination is an exit-code-2 error naming the options. */
  SparkSyntheticData.Shape shape() {
    if (task == TaskOption.regression && classes != null) {
      throw invalid("--classes " + classes + " applies to --task classification only; drop it for regression");
    }
    try {
      return new SparkSyntheticData.Shape(task == TaskOption.classification ? Task.CLASSIFICATION : Task.REGRESSION,
          rows, features, informative, redundant, categorical, classes == null ? 2 : classes, levels, seed);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  /** Adds "x0..x7 informative" for a run of columns; nothing for none. */
  private static void range(List<String> out, String prefix, int from, int count, String what) {
    if (count > 0) {
      out.add((count == 1 ? prefix + from : prefix + from + ".." + prefix + (from + count - 1)) + " " + what);
    }
  }

  private static boolean localPathExists(String path) {
    if (path.startsWith("file:")) {
      return Files.exists(java.nio.file.Path.of(URI.create(path)));
    }
    return !path.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") && Files.exists(java.nio.file.Path.of(path));
  }

  private CommandException exists() {
    return invalid("--out " + out + " already exists; expected a new path, or pass --overwrite to replace it");
  }

  private static CommandException invalid(String message) {
    return new CommandException(ExitCodes.INVALID, "datagen: " + message);
  }
}
