package io.tunelake.optimize;

import java.util.Map;
import java.util.Objects;

/**
 * One option of a search algorithm, as a spec sets it under {@code search.options}: its name,
 * its type, the range it must lie in, its default and what it does. Every algorithm declares its
 * options once ({@link Algorithm#options()}); the optimizer reads them through
 * {@link OptimizerConfig}, spec validation checks them with {@link Optimizers#checkOptions}.
 *
 * @param low smallest allowed value (integers and reals)
 * @param lowOpen whether {@code low} itself is excluded
 * @param high largest allowed value, included
 * @param defaultValue the value when the option is absent; null when it depends on the space
 *     (the description then says how)
 */
public record Option(String name, Type type, double low, boolean lowOpen, double high, Object defaultValue,
    String description) {

  /** The value types an option may hold. */
  public enum Type {
    /** A whole number, as an {@link Integer}. */
    INTEGER,
    /** A real number, as a {@link Double}. */
    REAL,
    /** {@code true} or {@code false}, as a {@link Boolean}. */
    BOOLEAN
  }

  public Option {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
  }

  /** An integer option in {@code [low, high]}; {@code defaultValue} null when it depends on the space. */
  public static Option integer(String name, int low, int high, Integer defaultValue, String description) {
    return new Option(name, Type.INTEGER, low, false, high, defaultValue, description);
  }

  /** A real option in {@code [low, high]}, or {@code (low, high]} when {@code lowOpen}. */
  public static Option real(String name, double low, boolean lowOpen, double high, double defaultValue,
      String description) {
    return new Option(name, Type.REAL, low, lowOpen, high, defaultValue, description);
  }

  /** A boolean option. */
  public static Option flag(String name, boolean defaultValue, String description) {
    return new Option(name, Type.BOOLEAN, 0, false, 1, defaultValue, description);
  }

  /** The field a spec sets this option in: {@code search.options.<name>}. */
  public String field() {
    return OptionException.field(name);
  }

  /** What a valid value looks like, for messages and docs: "an integer >= 1", "a number in (0, 1]". */
  public String expected() {
    if (type == Type.BOOLEAN) {
      return "true or false";
    }
    String what = type == Type.INTEGER ? "an integer" : "a number";
    boolean bounded = type == Type.INTEGER ? high < Integer.MAX_VALUE : high < Double.MAX_VALUE;
    if (!bounded) {
      return what + (lowOpen ? " > " : " >= ") + text(low);
    }
    return what + " in " + (lowOpen ? "(" : "[") + text(low) + ", " + text(high) + "]";
  }

  /** A bound as written in a spec: {@code 1}, not {@code 1.0}. */
  private static String text(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  /**
   * {@code value} in this option's canonical type (Integer, Double or Boolean); throws
   * {@link OptionException} naming the field, the value and what was expected when it does not
   * fit. Accepts any whole number for an integer and the strings {@code true}/{@code false} for
   * a boolean, as YAML and JSON may deliver them.
   */
  public Object check(Object value) {
    if (type == Type.BOOLEAN) {
      if (value instanceof Boolean) {
        return value;
      }
      if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
        return Boolean.parseBoolean(s);
      }
      throw OptionException.expected(this, value);
    }
    if (!(value instanceof Number n) || Double.isNaN(n.doubleValue())) {
      throw OptionException.expected(this, value);
    }
    double v = n.doubleValue();
    boolean whole = v == Math.rint(v) && Math.abs(v) <= Integer.MAX_VALUE;
    boolean inRange = (lowOpen ? v > low : v >= low) && v <= high;
    if (!inRange || (type == Type.INTEGER && !whole)) {
      throw OptionException.expected(this, value);
    }
    return type == Type.INTEGER ? (Object) (int) v : (Object) v;
  }

  /** This option's value in {@code options}, checked, or its default when absent. */
  Object valueIn(Map<String, Object> options) {
    Object v = options.get(name);
    return v == null ? defaultValue : check(v);
  }
}
