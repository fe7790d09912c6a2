package io.tunelake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one local SparkSession of a test JVM (local[2], small shuffles, UI off, Delta on),
 * created by the first test class that asks for it. The CLI's own {@code getOrCreate} finds
 * it, so in-process CLI tests share it too.
 */
public final class SparkTestSession implements BeforeAllCallback {
  private static SparkSession spark;

  @Override
  public void beforeAll(ExtensionContext context) {
    get();
  }

  /** The shared session. */
  public static synchronized SparkSession get() {
    if (spark == null) {
      spark = SparkSession.builder()
          .master("local[2]")
          .appName("tunelake-tests")
          .config("spark.ui.enabled", "false")
          // As spark-conf/spark-defaults.conf has it for the launcher: what Kryo cannot serialize fails here too.
          .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.scheduler.mode", "FAIR")
          .config("spark.databricks.delta.snapshotPartitions", "1")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .config("spark.sql.warehouse.dir", tempDir("spark-warehouse").toString())
          .getOrCreate();
    }
    return spark;
  }

  /** A dataset from ../shared/data (or the project's data/ folder). */
  public static Path dataFile(String name) {
    String dir = System.getProperty("tunelake.data.dir", "../shared/data");
    Path p = Path.of(dir, name);
    if (Files.exists(p)) {
      return p.toAbsolutePath();
    }
    Path local = Path.of(System.getProperty("tunelake.project.dir", "."), "data", name);
    if (Files.exists(local)) {
      return local.toAbsolutePath();
    }
    throw new IllegalStateException("test data " + name + " is in neither " + p + " nor " + local);
  }

  /** The first {@code rows} data rows of a shared CSV (with its header), as a new temporary file. */
  public static Path headOf(String name, int rows) {
    try {
      List<String> lines = Files.readAllLines(dataFile(name));
      Path out = tempDir("data").resolve(rows + "-" + name);
      Files.write(out, lines.subList(0, Math.min(lines.size(), rows + 1)));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh temporary directory under target/. */
  public static Path tempDir(String prefix) {
    try {
      Path base = Path.of(System.getProperty("tunelake.project.dir", "."), "target", "test-tmp");
      Files.createDirectories(base);
      return Files.createTempDirectory(base, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
