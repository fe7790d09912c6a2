package io.tunelake.spec;

/**
 * A job spec (or the data it names) that cannot be run: names the field, the value found and
 * what was expected. Raised before any Spark job starts; the CLI exits with code 2.
 */
public final class SpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public SpecException(String field, String message) {
    super(field == null || field.isEmpty() ? message : "field '" + field + "': " + message);
    this.field = field;
  }

  public SpecException(String field, String message, Throwable cause) {
    this(field, message);
    initCause(cause);
  }

  /** The dotted path of the offending field, e.g. {@code search.trials}. */
  public String field() {
    return field;
  }

  /** "expected X, but got 'v'" for field {@code field}. */
  public static SpecException expected(String field, String expected, Object actual) {
    return new SpecException(field, "expected " + expected + ", but got " + quote(actual));
  }

  /** An unknown name, with the nearest valid one suggested. */
  public static SpecException unknown(String field, String what, String actual, java.util.Collection<String> valid) {
    String hint = Names.nearest(actual, valid).map(n -> "; did you mean '" + n + "'?").orElse("");
    return new SpecException(field, "unknown " + what + " '" + actual + "'" + hint + " Expected one of " + valid);
  }

  static String quote(Object v) {
    return v == null ? "nothing" : "'" + v + "'";
  }
}
