package io.tunelake.optimize;

/** How a trial ended. */
public enum TrialStatus {
  /** Scored on every fold at its budget. */
  COMPLETE,
  /** Stopped early because it could not beat the best trial; scored on the folds it reached. */
  PRUNED,
  /** Threw while fitting or scoring; carries the message, no score. */
  FAILED
}
