package io.tunelake.space;

import java.util.ArrayList;
import java.util.List;

/**
 * A real-valued parameter in {@code [low, high]}, optionally searched on a log scale and
 * optionally quantised to multiples of {@code step} above {@code low} (0 means continuous).
 */
public record FloatRange(String name, double low, double high, boolean log, double step)
    implements Domain {

  public FloatRange {
    SpaceErrors.checkName(name);
    if (!Double.isFinite(low) || !Double.isFinite(high)) {
      throw SpaceErrors.invalid(name, "low and high must be finite numbers, but got low=%s, high=%s", low, high);
    }
    if (!(low <= high)) {
      throw SpaceErrors.invalidBounds(name, low, high);
    }
    if (log && low <= 0) {
      throw SpaceErrors.logNeedsPositive(name, low);
    }
    if (!(step >= 0)) {
      throw SpaceErrors.invalid(name, "step must be >= 0, but got step=%s", step);
    }
    if (log && step > 0) {
      throw SpaceErrors.invalid(name, "a log-scaled range cannot have a step, but got step=%s", step);
    }
  }

  /** A continuous range on a linear scale. */
  public static FloatRange of(String name, double low, double high) {
    return new FloatRange(name, low, high, false, 0);
  }

  /** A continuous range searched on a log scale; {@code low} must be positive. */
  public static FloatRange logOf(String name, double low, double high) {
    return new FloatRange(name, low, high, true, 0);
  }

  @Override
  public double toUnit(Object value) {
    double v = ((Number) coerce(value)).doubleValue();
    if (high == low) {
      return 0.5;
    }
    if (log) {
      return (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low));
    }
    return (v - low) / (high - low);
  }

  @Override
  public Object fromUnit(double u) {
    double c = Domain.clampUnit(u);
    if (log && (c == 0 || c == 1)) {
      // exp(log(x)) need not give x back; the bounds are the user's own numbers.
      return c == 0 ? low : high;
    }
    double v = log ? Math.exp(Math.log(low) + c * (Math.log(high) - Math.log(low))) : low + c * (high - low);
    if (step > 0) {
      v = low + Math.round((v - low) / step) * step;
      if (v > high) {
        v -= step;
      }
    }
    return Math.max(low, Math.min(high, v));
  }

  @Override
  public List<Object> gridValues(int pointsPerRange) {
    if (high == low || pointsPerRange <= 1) {
      return List.of(fromUnit(0.5));
    }
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < pointsPerRange; i++) {
      Object v = fromUnit(i / (double) (pointsPerRange - 1));
      if (!values.contains(v)) {
        values.add(v);
      }
    }
    return List.copyOf(values);
  }

  @Override
  public Object coerce(Object value) {
    if (!(value instanceof Number n)) {
      throw SpaceErrors.invalid(name, "expected a number in [%s, %s], but got '%s'", low, high, value);
    }
    double v = n.doubleValue();
    // Values that went through JSON or a unit-cube round trip may sit a hair outside.
    double slack = 1e-9 * Math.max(1.0, Math.abs(high - low));
    if (!(v >= low - slack && v <= high + slack)) {
      throw SpaceErrors.invalid(name, "expected a number in [%s, %s], but got %s", low, high, v);
    }
    return Math.max(low, Math.min(high, v));
  }
}
