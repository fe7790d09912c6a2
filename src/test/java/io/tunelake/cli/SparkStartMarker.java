package io.tunelake.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.scheduler.SparkListener;

/**
 * Leaves the file {@value #FILE} in the working directory when a SparkContext starts: given to a
 * child JVM as {@code spark.extraListeners}, it tells a test whether the command started Spark.
 */
public final class SparkStartMarker extends SparkListener {
  static final String FILE = "spark-context-started";

  public SparkStartMarker() {
    try {
      Files.writeString(Path.of(FILE), "started\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
