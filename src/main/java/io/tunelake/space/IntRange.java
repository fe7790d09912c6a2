package io.tunelake.space;

import java.util.ArrayList;
import java.util.List;

/** An integer parameter in {@code [low, high]}, optionally searched on a log scale. */
public record IntRange(String name, int low, int high, boolean log, int step) implements Domain {

  public IntRange {
    SpaceErrors.checkName(name);
    if (!(low <= high)) {
      throw SpaceErrors.invalidBounds(name, low, high);
    }
    if (log && low <= 0) {
      throw SpaceErrors.logNeedsPositive(name, low);
    }
    if (step < 1) {
      throw SpaceErrors.invalid(name, "step must be >= 1, but got step=%s", step);
    }
    if (log && step > 1) {
      throw SpaceErrors.invalid(name, "a log-scaled range cannot have a step, but got step=%s", step);
    }
  }

  /** Every integer in {@code [low, high]} on a linear scale. */
  public static IntRange of(String name, int low, int high) {
    return new IntRange(name, low, high, false, 1);
  }

  /** Integers in {@code [low, high]} searched on a log scale; {@code low} must be positive. */
  public static IntRange logOf(String name, int low, int high) {
    return new IntRange(name, low, high, true, 1);
  }

  /** How many distinct values the range holds. */
  public int size() {
    return (high - low) / step + 1;
  }

  @Override
  public double toUnit(Object value) {
    int v = (Integer) coerce(value);
    if (high == low) {
      return 0.5;
    }
    // Each integer owns an equal slice of the unit interval (widened by half a step at the
    // ends), so that uniform sampling in the cube is uniform over the integers.
    double lo = low - 0.5 * step;
    double hi = high + 0.5 * step;
    if (log) {
      lo = Math.max(low - 0.5, 0.5);
      hi = high + 0.5;
      return (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
    }
    return (v - lo) / (hi - lo);
  }

  @Override
  public Object fromUnit(double u) {
    double c = Domain.clampUnit(u);
    double v;
    if (log) {
      double lo = Math.max(low - 0.5, 0.5);
      double hi = high + 0.5;
      v = Math.exp(Math.log(lo) + c * (Math.log(hi) - Math.log(lo)));
    } else {
      v = (low - 0.5 * step) + c * ((high - low) + step);
    }
    long k = Math.round((v - low) / step);
    long snapped = low + k * (long) step;
    return (int) Math.max(low, Math.min(high, snapped));
  }

  @Override
  public List<Object> gridValues(int pointsPerRange) {
    if (size() <= pointsPerRange) {
      List<Object> all = new ArrayList<>();
      for (int v = low; v <= high; v += step) {
        all.add(v);
      }
      return List.copyOf(all);
    }
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < pointsPerRange; i++) {
      double u = pointsPerRange == 1 ? 0.5 : i / (double) (pointsPerRange - 1);
      int v = (Integer) fromUnit(u);
      if (i == 0) {
        v = low;
      } else if (i == pointsPerRange - 1) {
        v = high - (high - low) % step;
      }
      if (!values.contains(v)) {
        values.add(v);
      }
    }
    return List.copyOf(values);
  }

  @Override
  public Object coerce(Object value) {
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw SpaceErrors.invalid(name, "expected an integer in [%s, %s], but got '%s'", low, high, value);
    }
    long v = n.longValue();
    if (v < low || v > high || (v - low) % step != 0) {
      throw SpaceErrors.invalid(name, "expected an integer in [%s, %s] with step %s, but got %s", low, high, step, v);
    }
    return (int) v;
  }
}
