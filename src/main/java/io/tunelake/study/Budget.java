package io.tunelake.study;

import java.time.Duration;

/**
 * When a study stops starting rounds: once it holds {@code maxTrials} finished trials
 * (complete, pruned or failed); once {@code timeout} of wall time has passed (if set); once the
 * best trial reaches {@code target} (if set, compared in the metric's direction); or once
 * {@code patience} trials in a row have not improved on the best (if above 0). Every limit is
 * checked between rounds, so a round that has started is always committed.
 */
public record Budget(int maxTrials, Duration timeout, Double target, int patience) {

  public Budget {
    if (maxTrials < 1) {
      throw new IllegalArgumentException("maxTrials must be >= 1, but got " + maxTrials);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive, but got " + timeout);
    }
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0 (0 = off), but got " + patience);
    }
  }

  /** A budget of {@code maxTrials} trials and no other limit. */
  public static Budget trials(int maxTrials) {
    return new Budget(maxTrials, null, null, 0);
  }

  /** A budget of {@code maxTrials} trials or {@code timeout}, whichever comes first. */
  public Budget(int maxTrials, Duration timeout) {
    this(maxTrials, timeout, null, 0);
  }
}
