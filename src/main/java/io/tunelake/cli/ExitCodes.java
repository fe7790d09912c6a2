package io.tunelake.cli;

import io.tunelake.study.StudyException;

/** The process exit codes an orchestrator (Airflow, a shell) can act on. */
public final class ExitCodes {
  /** The command did what it was asked. */
  public static final int OK = 0;
  /** Something unexpected failed; the message and stack trace say what. */
  public static final int UNEXPECTED = 1;
  /** The spec or the data it names is invalid; nothing was run or written. */
  public static final int INVALID = 2;
  /** The budget was spent and no trial completed. */
  public static final int NO_COMPLETE_TRIAL = 3;
  /** The command was refused (for example a study that is not in the store). */
  public static final int REFUSED = 4;
  /**
   * Another process is running the same study (it holds the study's lease in the store); nothing
   * was written. The message names it and says when {@code --force} may take over.
   */
  public static final int BUSY = 5;
  /** Stopped by SIGTERM between rounds; the tables hold every committed round (128 + 15). */
  public static final int STOPPED = 143;

  private ExitCodes() {}

  /** The exit code of a study that ended without a model for {@code kind}. */
  static int of(StudyException.Kind kind) {
    if (kind == StudyException.Kind.REFUSED) {
      return REFUSED;
    }
    return kind == StudyException.Kind.STOPPED ? STOPPED : NO_COMPLETE_TRIAL;
  }
}
