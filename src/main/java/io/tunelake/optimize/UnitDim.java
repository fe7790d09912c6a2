package io.tunelake.optimize;

import io.tunelake.space.Categorical;
import io.tunelake.space.Domain;
import io.tunelake.space.IntRange;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;

/**
 * One searched coordinate of the unit cube as a model sees it: where it sits in the space's
 * unit vector, its domain, and whether it is continuous, integer or categorical (with how many
 * values). Fixed parameters are not searched and have no {@code UnitDim}.
 */
public record UnitDim(int index, Domain domain, Kind kind, int cardinality) {

  /** How a model treats a coordinate. */
  public enum Kind {
    /** A float range (linear, log or stepped): a real number in the unit interval. */
    CONTINUOUS,
    /** An int range: a real number in the unit interval, rounded to the nearest integer's slice. */
    INTEGER,
    /** A categorical: one of {@code cardinality} unordered slices of the unit interval. */
    CATEGORICAL
  }

  /** The searched coordinates of {@code space}, in declaration order. */
  public static List<UnitDim> of(SearchSpace space) {
    List<UnitDim> dims = new ArrayList<>();
    List<Domain> domains = space.domains();
    for (int i = 0; i < domains.size(); i++) {
      Domain d = domains.get(i);
      if (!d.isSearched()) {
        continue;
      }
      if (d instanceof Categorical c) {
        dims.add(new UnitDim(i, d, Kind.CATEGORICAL, c.choices().size()));
      } else if (d instanceof IntRange r) {
        dims.add(new UnitDim(i, d, Kind.INTEGER, r.size()));
      } else {
        dims.add(new UnitDim(i, d, Kind.CONTINUOUS, 0));
      }
    }
    return List.copyOf(dims);
  }

  /** The unit coordinate of the value nearest to {@code u} (integers and steps rounded). */
  public double snap(double u) {
    return domain.toUnit(domain.fromUnit(u));
  }

  /** The category whose slice holds {@code u}; only for categorical coordinates. */
  public int category(double u) {
    return Math.min(cardinality - 1, (int) Math.floor(Domain.clampUnit(u) * cardinality));
  }

  /** The centre of category {@code c}'s slice; only for categorical coordinates. */
  public double center(int c) {
    return (c + 0.5) / cardinality;
  }
}
