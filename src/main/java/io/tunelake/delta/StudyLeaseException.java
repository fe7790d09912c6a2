package io.tunelake.delta;

/**
 * A study's lease is held by another live process (or was taken over from this one): the study
 * is not written. The message names the owner and how to take over.
 */
public final class StudyLeaseException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  StudyLeaseException(String message) {
    super(message);
  }
}
