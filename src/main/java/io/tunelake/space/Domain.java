package io.tunelake.space;

import java.util.List;

/**
 * The values one hyperparameter may take, with a numeric form on the unit interval that
 * optimizers search in. Implementations are immutable and check their bounds on construction.
 */
public sealed interface Domain permits FloatRange, IntRange, Categorical, Fixed {

  /** The parameter's name, as the estimator knows it (an MLlib param name). */
  String name();

  /** Maps a value of this domain to {@code [0, 1]}; the inverse of {@link #fromUnit}. */
  double toUnit(Object value);

  /** Maps {@code u} in {@code [0, 1]} (clamped) to a value of this domain. */
  Object fromUnit(double u);

  /** The values a grid search visits, in order; ranges are cut into {@code pointsPerRange}. */
  List<Object> gridValues(int pointsPerRange);

  /**
   * The canonical Java value for {@code value} (Double, Integer, String or Boolean), for
   * values read back from JSON or YAML; throws {@link IllegalArgumentException} when the value
   * is not in this domain.
   */
  Object coerce(Object value);

  /** Whether this parameter is searched at all (a fixed value is not). */
  default boolean isSearched() {
    return true;
  }

  /** Clamps {@code u} into the unit interval, mapping NaN to the middle. */
  static double clampUnit(double u) {
    if (Double.isNaN(u)) {
      return 0.5;
    }
    return Math.max(0.0, Math.min(1.0, u));
  }
}
