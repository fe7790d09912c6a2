package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import io.tunelake.cli.TuneCommandTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real {@code datagen} command, in-process on the shared session. */
@ExtendWith(SparkTestSession.class)
class DatagenCommandTest {

  static Run datagen(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "datagen";
    System.arraycopy(args, 0, all, 1, args.length);
    return TuneCommandTest.cli(all);
  }

  static long parquetFiles(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
    }
  }

  @Test
  void datagen_parquet_writesOneFilePerPartitionAndEveryRow() throws Exception {
    Path out = SparkTestSession.tempDir("datagen").resolve("data");
    Run run = datagen("--rows", "2000", "--partitions", "3", "--seed", "7", "--out", out.toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().startsWith("wrote 2000 rows to " + out + " (parquet, 3 files) in "), run.out());
    assertTrue(run.out().contains(": label (classification, 2 classes); x0..x7 informative, x8..x11 redundant, "
        + "x12..x17 noise, c0..c1 categorical (5 levels); seed 7"), run.out());
    assertEquals(3, parquetFiles(out));
    Dataset<Row> data = SparkTestSession.get().read().parquet(out.toString());
    assertEquals(2000, data.count());
    assertEquals(21, data.columns().length);
  }

  @Test
  void datagen_samePathTwice_refusedUnlessOverwrite() throws Exception {
    Path out = SparkTestSession.tempDir("datagen").resolve("data");
    assertEquals(0, datagen("--rows", "100", "--partitions", "1", "--out", out.toString()).code());
    Run again = datagen("--rows", "100", "--out", out.toString());
    assertEquals(ExitCodes.INVALID, again.code());
    assertEquals("tunelake: datagen: --out " + out + " already exists; expected a new path, or pass --overwrite to "
        + "replace it", again.err().strip());
    Run over = datagen("--rows", "200", "--partitions", "2", "--overwrite", "--out", out.toString());
    assertEquals(0, over.code(), over.err());
    assertEquals(200, SparkTestSession.get().read().parquet(out.toString()).count());
  }

  @Test
  void datagen_delta_sameRowsAsParquetAndValidatesAsAStudyInput() throws Exception {
    Path dir = SparkTestSession.tempDir("datagen");
    Path parquet = dir.resolve("p");
    Path delta = dir.resolve("d");
    String[] shape = {"--rows", "2000", "--task", "regression", "--features", "6", "--informative", "3",
        "--redundant", "1", "--categorical", "1", "--seed", "11"};
    assertEquals(0, datagen(concat(shape, "--partitions", "1", "--out", parquet.toString())).code());
    Run run = datagen(concat(shape, "--partitions", "4", "--format", "delta", "--out", delta.toString()));
    assertEquals(0, run.code(), run.err());
    assertTrue(Files.isDirectory(delta.resolve("_delta_log")));
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> p = spark.read().parquet(parquet.toString());
    Dataset<Row> d = spark.read().format("delta").load(delta.toString());
    assertEquals("label,x0,x1,x2,x3,x4,c0", String.join(",", d.columns()));
    assertEquals(2000, d.count());
    assertEquals(0, p.exceptAll(d).count());
    assertEquals(0, d.exceptAll(p).count());

    Path spec = TuneCommandTest.spec(String.join("\n",
        "study: datagen-check",
        "data: {path: '" + delta + "'}",
        "estimator: linear_regression",
        "space: {regParam: {low: 0.001, high: 1.0, log: true}}",
        ""));
    Run valid = TuneCommandTest.cli("validate", spec.toString());
    assertEquals(0, valid.code(), valid.err());
    assertTrue(valid.out().contains("linear_regression (regression)"), valid.out());
    assertTrue(valid.out().contains("6 features"), valid.out());
  }

  @Test
  void datagen_badCombination_exitsTwoNamingTheOptionsAndWritesNothing() throws Exception {
    Path out = SparkTestSession.tempDir("datagen").resolve("data");
    Run run = datagen("--rows", "100", "--features", "10", "--out", out.toString());
    assertEquals(ExitCodes.INVALID, run.code());
    assertEquals("tunelake: datagen: --informative (8) + --redundant (4) + --categorical (2) = 14 must be at most "
        + "--features (10); lower one of them or raise --features", run.err().strip());
    assertFalse(Files.exists(out));
  }

  @Test
  void datagen_badValues_exitTwoWithTheOptionAndValue() {
    assertEquals("tunelake: datagen: --rows must be at least 1, but got 0",
        datagen("--rows", "0", "--out", "x").err().strip());
    assertEquals("tunelake: datagen: --classes 3 applies to --task classification only; drop it for regression",
        datagen("--rows", "10", "--task", "regression", "--classes", "3", "--out", "x").err().strip());
    assertEquals("tunelake: datagen: --partitions must be between 1 and --rows (10), but got 20",
        datagen("--rows", "10", "--partitions", "20", "--out", "x").err().strip());
    Run task = datagen("--rows", "10", "--task", "clustering", "--out", "x");
    assertEquals(ExitCodes.INVALID, task.code());
    assertTrue(task.err().contains("Invalid value for option '--task': expected one of [classification, regression]"
        + " (case-sensitive) but was 'clustering'"), task.err());
    Run missing = datagen("--rows", "10");
    assertEquals(ExitCodes.INVALID, missing.code());
    assertTrue(missing.err().contains("Missing required option: '--out=PATH'"), missing.err());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
