package io.tunelake.cli;

import io.tunelake.delta.StudyLease;
import io.tunelake.study.StopSignal;
import io.tunelake.study.StudyException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code tune} does on SIGTERM, which is what Airflow and most schedulers send to a task
 * they stop: start no further round, give the run a grace period
 * ({@code TUNELAKE_STOP_GRACE_SECONDS}, default 25) to commit the round in flight and end, then
 * end with one line saying what is committed and how to resume, and exit code 143.
 *
 * <p>The shutdown hook runs before Spark's own (the executors' and the SparkContext's), and
 * Spark keeps running until it returns, so the run ends on a working engine. Spark's hooks run
 * under Hadoop's shutdown timeout ({@code hadoop.service.shutdown.timeout}, 30 s), which cuts a
 * longer grace short; raise both together. A run still busy after the grace is abandoned: its
 * round is not committed (its trials would fail as the engine stops under them), the table is
 * unharmed because each round is one atomic Delta commit, and what the stopping engine then
 * logs is not shown, as it would read as a failure.
 */
final class GracefulStop {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

  private final StopSignal signal = new StopSignal();
  private final String study;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final AtomicBoolean reported = new AtomicBoolean();

  GracefulStop(String study) {
    this.study = study;
  }

  /** The signal the study loop watches. */
  StopSignal signal() {
    return signal;
  }

  /** The shutdown hook: asks the run to stop and waits for it, up to the grace period. */
  void onShutdown() {
    signal.request();
    long grace = Long.parseLong(System.getenv().getOrDefault("TUNELAKE_STOP_GRACE_SECONDS", "25"));
    LOG.warn("stop requested: finishing the round in flight (up to {} s), then exiting with {}", grace,
        ExitCodes.STOPPED);
    try {
      if (ended.await(grace, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    signal.abandon();
    OptionalInt trials = StudyLease.held(study).map(StudyLease::committedTrials).orElse(OptionalInt.empty());
    String committed = trials.isPresent() ? trials.getAsInt() + " trials are committed"
        : "every round committed before is kept";
    report("study '" + study + "' stopped on request: the work in flight did not finish within " + grace
        + " s and is abandoned; " + committed + "; re-run the same command to continue");
    StudyLease.held(study).ifPresent(StudyLease::close);
  }

  /** The run ended with {@code e} after a stop was requested: says so in one line. */
  void stopped(RuntimeException e) {
    report(e instanceof StudyException s && s.kind() == StudyException.Kind.STOPPED ? s.getMessage()
        : "study '" + study + "' stopped on request; every committed round is kept, re-run the same command to "
            + "continue");
  }

  /** The run is over (done, failed or stopped): the hook need not wait any longer. */
  void ended() {
    ended.countDown();
  }

  /** Prints the stop line, once, and nothing after it. */
  private void report(String line) {
    if (reported.compareAndSet(false, true)) {
      System.err.println("tunelake: " + line);
      System.err.flush();
      silence();
    }
  }

  /**
   * Nothing after the stop line: what the engine logs as it stops (each job it cancels, after an
   * abandoned round) would read as a failure.
   */
  private static void silence() {
    Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.OFF);
    System.setErr(new PrintStream(OutputStream.nullOutputStream()));
  }
}
