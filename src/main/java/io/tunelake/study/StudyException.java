package io.tunelake.study;

/**
 * A study that ends without a model for a reason the user acts on: its settings changed since
 * it last ran ({@link Kind#REFUSED}), it was asked to stop between rounds ({@link Kind#STOPPED}),
 * or it spent its budget and no trial completed ({@link Kind#NO_COMPLETE_TRIAL}). The command
 * line turns the kind into its exit code; the API throws it as it is.
 */
public final class StudyException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** Why the study ended without a model. */
  public enum Kind { REFUSED, STOPPED, NO_COMPLETE_TRIAL }

  private final Kind kind;

  public StudyException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
