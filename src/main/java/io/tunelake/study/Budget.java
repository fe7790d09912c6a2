package io.tunelake.study;

import java.time.Duration;

/**
 * When a study stops: after {@code maxTrials} finished trials (complete, pruned or failed) or,
 * if {@code timeout} is set, once a round ends after that much wall time.
 */
public record Budget(int maxTrials, Duration timeout) {

  public Budget {
    if (maxTrials < 1) {
      throw new IllegalArgumentException("maxTrials must be >= 1, but got " + maxTrials);
    }
  }

  /** A budget of {@code maxTrials} trials and no time limit. */
  public static Budget trials(int maxTrials) {
    return new Budget(maxTrials, null);
  }
}
