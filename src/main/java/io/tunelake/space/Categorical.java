package io.tunelake.space;

import java.util.List;
import java.util.Objects;

/**
 * A choice among a list of values (strings, numbers or booleans). Choices are unordered for
 * model-based optimizers; their position only fixes a slice of the unit interval.
 */
public record Categorical(String name, List<Object> choices) implements Domain {

  public Categorical {
    SpaceErrors.checkName(name);
    Objects.requireNonNull(choices, "choices");
    if (choices.isEmpty()) {
      throw SpaceErrors.invalid(name, "a choice list needs at least one value, but got []");
    }
    List<Object> canonical = choices.stream().map(c -> Values.canonical(name, c)).toList();
    if (canonical.stream().distinct().count() != canonical.size()) {
      throw SpaceErrors.invalid(name, "choices must be distinct, but got %s", choices);
    }
    choices = List.copyOf(canonical);
  }

  /** A choice among {@code choices}. */
  public static Categorical of(String name, Object... choices) {
    return new Categorical(name, List.of(choices));
  }

  /** Position of {@code value} among the choices. */
  public int indexOf(Object value) {
    Object c = coerce(value);
    return choices.indexOf(c);
  }

  @Override
  public double toUnit(Object value) {
    return (indexOf(value) + 0.5) / choices.size();
  }

  @Override
  public Object fromUnit(double u) {
    int i = (int) Math.floor(Domain.clampUnit(u) * choices.size());
    return choices.get(Math.min(i, choices.size() - 1));
  }

  @Override
  public List<Object> gridValues(int pointsPerRange) {
    return choices;
  }

  @Override
  public Object coerce(Object value) {
    Object c = Values.canonical(name, value);
    if (choices.contains(c)) {
      return c;
    }
    // Numbers read back from JSON may come as another numeric type than declared.
    if (c instanceof Number n) {
      for (Object choice : choices) {
        if (choice instanceof Number m && m.doubleValue() == n.doubleValue()) {
          return choice;
        }
      }
    }
    throw SpaceErrors.invalid(name, "expected one of %s, but got '%s'", choices, value);
  }
}
