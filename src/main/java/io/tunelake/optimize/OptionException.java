package io.tunelake.optimize;

import java.util.Collection;
import java.util.Locale;

/**
 * A search option that an algorithm does not have, or whose value it cannot take: names the
 * field ({@code search.options.<key>}), the value found and what was expected, and for an
 * unknown key the nearest option the algorithm has.
 */
public final class OptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final transient Object value;
  private final String expected;

  private OptionException(String field, Object value, String expected, String message) {
    super("field '" + field + "': " + message);
    this.field = field;
    this.value = value;
    this.expected = expected;
  }

  /** The spec field of option {@code key}. */
  static String field(String key) {
    return "search.options." + key;
  }

  /** The dotted path of the offending field, e.g. {@code search.options.ei_candidates}. */
  public String field() {
    return field;
  }

  /** The value found: the option's value, or for an unknown option its key. */
  public Object value() {
    return value;
  }

  /** What a valid value (or key) looks like. */
  public String expected() {
    return expected;
  }

  static OptionException expected(Option option, Object value) {
    String got = value == null ? "nothing" : "'" + value + "'";
    return new OptionException(option.field(), value, option.expected(),
        "expected " + option.expected() + ", but got " + got);
  }

  static OptionException unknown(String algorithm, String key, Collection<String> known) {
    String expected = known.isEmpty() ? "no options" : "one of " + known;
    String hint = nearest(key, known).map(n -> "; did you mean '" + n + "'?").orElse(";");
    return new OptionException(field(key), key, expected, "search algorithm '" + algorithm
        + "' has no option '" + key + "'" + hint + " expected " + expected);
  }

  /** The known name a typo of {@code key} most likely meant: the fewest edits, at most a third of it. */
  static java.util.Optional<String> nearest(String key, Collection<String> known) {
    String a = key.toLowerCase(Locale.ROOT);
    return known.stream()
        .filter(k -> edits(a, k.toLowerCase(Locale.ROOT)) <= Math.max(2, a.length() / 3))
        .min(java.util.Comparator.comparingInt(k -> edits(a, k.toLowerCase(Locale.ROOT))));
  }

  /** Levenshtein distance over a full table: keys are short. */
  static int edits(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
        } else {
          int swap = d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
          d[i][j] = Math.min(swap, 1 + Math.min(d[i - 1][j], d[i][j - 1]));
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
