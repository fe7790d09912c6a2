package io.tunelake.spec;

import io.tunelake.space.Categorical;
import io.tunelake.space.Condition;
import io.tunelake.space.Domain;
import io.tunelake.space.Fixed;
import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the spec's {@code space}, before the estimator's parameter types are known:
 * a range ({@code low}, {@code high}, optional {@code log}, {@code step}, {@code type}), a
 * list of choices, or a fixed value; optionally active only {@code when} a parent parameter
 * takes given values.
 */
public record ParamSpec(
    String name,
    Kind kind,
    double low,
    double high,
    boolean log,
    double step,
    boolean integral,
    List<Object> values,
    Condition when) {

  /** The form of the entry. */
  public enum Kind { RANGE, CHOICE, FIXED }

  public ParamSpec {
    values = values == null ? List.of() : List.copyOf(values);
  }

  String field() {
    return "space." + name;
  }

  /** The search domain, once the estimator tells the parameter's type. */
  public Domain toDomain(ParamType type) {
    try {
      return switchKind(type);
    } catch (IllegalArgumentException e) {
      throw new SpecException(field(), e.getMessage());
    }
  }

  private Domain switchKind(ParamType type) {
    if (kind == Kind.RANGE) {
      if (type == ParamType.INT) {
        if (low != Math.rint(low) || high != Math.rint(high) || (step > 0 && step != Math.rint(step))) {
          throw SpecException.expected(field(), "integer bounds (the parameter takes integers)",
              "low=" + SpecException.number(low) + ", high=" + SpecException.number(high)
                  + (step > 0 ? ", step=" + SpecException.number(step) : ""), "use whole numbers");
        }
        return new IntRange(name, (int) low, (int) high, log, step > 0 ? (int) step : 1);
      }
      if (type == ParamType.DOUBLE) {
        return new FloatRange(name, low, high, log, step);
      }
      throw SpecException.expected(field(), "a list of choices or a single value (the parameter takes a "
          + type.name().toLowerCase() + ")", "a range low=" + low + ", high=" + high);
    }
    List<Object> converted = new ArrayList<>();
    for (Object v : values) {
      converted.add(convert(v, type));
    }
    if (kind == Kind.FIXED) {
      return new Fixed(name, converted.get(0));
    }
    return new Categorical(name, converted);
  }

  private Object convert(Object v, ParamType type) {
    switch (type) {
      case INT:
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
          return n.intValue();
        }
        throw SpecException.expected(field(), "integers", v);
      case DOUBLE:
        if (v instanceof Number n) {
          return n.doubleValue();
        }
        throw SpecException.expected(field(), "numbers", v);
      case BOOLEAN:
        if (v instanceof Boolean) {
          return v;
        }
        throw SpecException.expected(field(), "true or false", v);
      default:
        if (v instanceof String) {
          return v;
        }
        return String.valueOf(v);
    }
  }
}
