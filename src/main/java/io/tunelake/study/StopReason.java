package io.tunelake.study;

/** Why a run of the study loop ended. */
public enum StopReason {
  /** The trial budget is spent. */
  TRIALS,
  /** {@code search.timeout} passed. */
  TIMEOUT,
  /** The best trial reached {@code search.target}. */
  TARGET,
  /** {@code search.patience} trials in a row did not improve on the best. */
  PATIENCE,
  /** The optimizer had nothing left to propose (a finished grid). */
  EXHAUSTED,
  /** A stop was requested (SIGTERM) and the loop ended after committing its round. */
  STOPPED
}
