package io.tunelake.study;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Asks a running study to stop after the round in flight is committed, and lets the asker wait
 * until it has. Used for SIGTERM, which is what Airflow and most schedulers send to a task
 * they kill.
 */
public final class StopSignal {
  private volatile boolean requested;
  private volatile boolean abandoned;
  private final CountDownLatch idle = new CountDownLatch(1);

  /** Asks the loop to start no further round. */
  public void request() {
    requested = true;
  }

  public boolean isRequested() {
    return requested;
  }

  /**
   * Gives up on the round in flight: its results are not committed, because the engine is
   * about to shut down under it and its trials would fail for reasons of their own.
   */
  public void abandon() {
    requested = true;
    abandoned = true;
  }

  public boolean isAbandoned() {
    return abandoned;
  }

  /** Called by the loop when it no longer writes to the store. */
  void markIdle() {
    idle.countDown();
  }

  /** Waits up to {@code timeout} for the loop to finish writing; true if it did. */
  public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
    return idle.await(timeout, unit);
  }
}
