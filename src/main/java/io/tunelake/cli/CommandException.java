package io.tunelake.cli;

/** A failure a command reports with its own exit code and a one-line message, no stack trace. */
final class CommandException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CommandException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
