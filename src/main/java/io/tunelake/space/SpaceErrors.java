package io.tunelake.space;

/** Builds the messages of invalid search spaces: the invariant, the actual value, the fix. */
final class SpaceErrors {
  private SpaceErrors() {}

  static void checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a parameter needs a non-empty name, but got '" + name + "'");
    }
  }

  static IllegalArgumentException invalidBounds(String name, Number low, Number high) {
    return new IllegalArgumentException(String.format(
        "`low <= high` must hold for parameter '%s', but got low=%s, high=%s; swap them", name, low, high));
  }

  static IllegalArgumentException logNeedsPositive(String name, Number low) {
    return new IllegalArgumentException(String.format(
        "a log-scaled range needs low > 0 for parameter '%s', but got low=%s; raise low or drop log", name, low));
  }

  static IllegalArgumentException invalid(String name, String format, Object... args) {
    return new IllegalArgumentException("parameter '" + name + "': " + String.format(format, args));
  }
}
