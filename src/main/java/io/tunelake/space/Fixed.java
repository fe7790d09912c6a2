package io.tunelake.space;

import java.util.List;
import java.util.Objects;

/** A parameter held at one value for every trial; recorded with the trial, never searched. */
public record Fixed(String name, Object value) implements Domain {

  public Fixed {
    SpaceErrors.checkName(name);
    value = Values.canonical(name, Objects.requireNonNull(value, "value"));
  }

  @Override
  public double toUnit(Object v) {
    coerce(v);
    return 0.5;
  }

  @Override
  public Object fromUnit(double u) {
    return value;
  }

  @Override
  public List<Object> gridValues(int pointsPerRange) {
    return List.of(value);
  }

  @Override
  public Object coerce(Object v) {
    Object c = Values.canonical(name, v);
    if (c.equals(value) || (c instanceof Number a && value instanceof Number b && a.doubleValue() == b.doubleValue())) {
      return value;
    }
    throw SpaceErrors.invalid(name, "expected the fixed value '%s', but got '%s'", value, v);
  }

  @Override
  public boolean isSearched() {
    return false;
  }
}
