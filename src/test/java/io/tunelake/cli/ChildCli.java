package io.tunelake.cli;

import io.tunelake.SparkTestSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the CLI in a JVM of its own, as {@code scripts/tunelake} does (Spark's Java 17 flags,
 * the test classpath, a small local Spark), so a test can kill it or run two at once. Output
 * goes to files in the child's working directory, named in failure messages.
 */
final class ChildCli {
  final Process process;
  final Path dir;

  private ChildCli(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /** Starts {@code tunelake ARGS} in a fresh working directory. */
  static ChildCli start(String... args) {
    return start(List.of(), args);
  }

  /** Starts {@code tunelake ARGS} with extra JVM options ({@code -Dkey=value}) in a fresh working directory. */
  static ChildCli start(List<String> jvmOptions, String... args) {
    return startMain(Main.class.getName(), jvmOptions, args);
  }

  /** Starts {@code mainClass ARGS} from the test classpath with extra JVM options in a fresh working directory. */
  static ChildCli startMain(String mainClass, List<String> jvmOptions, String... args) {
    Path dir = SparkTestSession.tempDir("child");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    String opens = System.getProperty("tunelake.java.opens", "");
    Arrays.stream(opens.trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(cmd::add);
    cmd.addAll(List.of("-Dspark.master=local[2]", "-Dspark.ui.enabled=false", "-Dspark.sql.shuffle.partitions=2",
        "-Dspark.default.parallelism=2", "-Dspark.databricks.delta.snapshotPartitions=1",
        "-Dspark.sql.warehouse.dir=" + dir.resolve("spark-warehouse")));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile())
          .redirectOutput(dir.resolve("stdout.txt").toFile())
          .redirectError(dir.resolve("stderr.txt").toFile())
          .start();
      return new ChildCli(p, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the child to exit and returns its exit code. */
  int await(long minutes) throws InterruptedException {
    if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the child CLI did not finish in " + minutes + " min; " + tail());
    }
    return process.exitValue();
  }

  /**
   * Waits until {@code file} exists, polling every {@code pollMillis}, failing if the child exits
   * first or {@code minutes} pass.
   */
  void awaitFile(Path file, long minutes, long pollMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
    while (!Files.exists(file)) {
      if (!process.isAlive()) {
        throw new AssertionError("the child exited with " + process.exitValue() + " before " + file + " appeared; "
            + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(file + " did not appear in " + minutes + " min; " + tail());
      }
      Thread.sleep(pollMillis);
    }
  }

  /** Kills the child at once (SIGKILL on Unix: no shutdown hook, no finally block runs). */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(1, TimeUnit.MINUTES);
  }

  /** The end of the child's stdout and stderr, for messages. */
  String tail() {
    return "stdout: " + tailOf("stdout.txt") + "\nstderr: " + tailOf("stderr.txt");
  }

  String stdout() {
    return read("stdout.txt");
  }

  String stderr() {
    return read("stderr.txt");
  }

  private String tailOf(String name) {
    String s = read(name);
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }

  private String read(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      return "(" + e.getMessage() + ")";
    }
  }
}
