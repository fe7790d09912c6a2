package io.tunelake.space;

/** The value types a parameter may hold: Integer, Double, String or Boolean. */
final class Values {
  private Values() {}

  static Object canonical(String name, Object value) {
    if (value instanceof Integer || value instanceof Double || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long || value instanceof Short || value instanceof Byte) {
      long l = ((Number) value).longValue();
      if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
        return (int) l;
      }
      return (double) l;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw SpaceErrors.invalid(name, "values must be numbers, strings or booleans, but got '%s' (%s)",
        value, value == null ? "null" : value.getClass().getSimpleName());
  }
}
