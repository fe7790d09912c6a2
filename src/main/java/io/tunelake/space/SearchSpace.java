package io.tunelake.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The parameters of a study, in declaration order, with the conditions that make some of them
 * depend on others. An assignment ({@code Map<String, Object>}) holds exactly the active
 * parameters; its unit-cube form has one coordinate per parameter, inactive ones at NaN.
 */
public final class SearchSpace {
  private final List<Domain> domains;
  private final Map<String, Domain> byName;
  private final Map<String, Condition> conditions;

  private SearchSpace(List<Domain> domains, Map<String, Condition> conditions) {
    this.domains = List.copyOf(domains);
    Map<String, Domain> names = new LinkedHashMap<>();
    for (Domain d : this.domains) {
      if (names.put(d.name(), d) != null) {
        throw new IllegalArgumentException("parameter '" + d.name() + "' is declared twice; keep one");
      }
    }
    this.byName = Collections.unmodifiableMap(names);
    Set<String> seen = new HashSet<>();
    for (Domain d : this.domains) {
      Condition c = conditions.get(d.name());
      if (c != null) {
        if (!names.containsKey(c.parent())) {
          throw new IllegalArgumentException(String.format(
              "parameter '%s' depends on '%s', which is not a parameter of the space; expected one of %s",
              d.name(), c.parent(), names.keySet()));
        }
        if (!seen.contains(c.parent())) {
          throw new IllegalArgumentException(String.format(
              "parameter '%s' depends on '%s', which must be declared before it", d.name(), c.parent()));
        }
        Domain parent = names.get(c.parent());
        for (Object v : c.values()) {
          parent.coerce(v);
        }
      }
      seen.add(d.name());
    }
    for (String child : conditions.keySet()) {
      if (!names.containsKey(child)) {
        throw new IllegalArgumentException("a condition names '" + child + "', which is not a parameter of the space");
      }
    }
    this.conditions = Map.copyOf(conditions);
  }

  /** A space of independent parameters. */
  public static SearchSpace of(List<Domain> domains) {
    return new SearchSpace(domains, Map.of());
  }

  /** A space of independent parameters. */
  public static SearchSpace of(Domain... domains) {
    return of(List.of(domains));
  }

  /** A space where {@code conditions} maps a child parameter to what makes it active. */
  public static SearchSpace of(List<Domain> domains, Map<String, Condition> conditions) {
    return new SearchSpace(domains, conditions);
  }

  public List<Domain> domains() {
    return domains;
  }

  /** Number of coordinates in the unit-cube form (every declared parameter, fixed ones too). */
  public int dimension() {
    return domains.size();
  }

  public Optional<Domain> domain(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Optional<Condition> condition(String name) {
    return Optional.ofNullable(conditions.get(name));
  }

  /** Whether parameter {@code name} is active under the (partial) assignment {@code params}. */
  public boolean isActive(String name, Map<String, Object> params) {
    Condition c = conditions.get(name);
    if (c == null) {
      return true;
    }
    return isActive(c.parent(), params) && c.holdsFor(params.get(c.parent()));
  }

  /** The assignment that a point of the unit cube stands for; inactive parameters are left out. */
  public Map<String, Object> fromUnit(double[] u) {
    if (u.length != domains.size()) {
      throw new IllegalArgumentException("expected a point with " + domains.size() + " coordinates, but got " + u.length);
    }
    Map<String, Object> params = new LinkedHashMap<>();
    for (int i = 0; i < u.length; i++) {
      Domain d = domains.get(i);
      if (isActive(d.name(), params)) {
        params.put(d.name(), d.fromUnit(u[i]));
      }
    }
    return Collections.unmodifiableMap(params);
  }

  /** The unit-cube form of an assignment; inactive parameters map to NaN. */
  public double[] toUnit(Map<String, Object> params) {
    double[] u = new double[domains.size()];
    for (int i = 0; i < u.length; i++) {
      Domain d = domains.get(i);
      Object v = params.get(d.name());
      u[i] = v == null ? Double.NaN : d.toUnit(v);
    }
    return u;
  }

  /** A uniformly random assignment (uniform in the unit cube, so log ranges sample log-uniformly). */
  public Map<String, Object> sample(Random rng) {
    double[] u = new double[domains.size()];
    for (int i = 0; i < u.length; i++) {
      u[i] = rng.nextDouble();
    }
    return fromUnit(u);
  }

  /**
   * Checks that {@code params} holds exactly the active parameters with values in their domains
   * and returns it in canonical form (declaration order, canonical value types).
   */
  public Map<String, Object> canonical(Map<String, Object> params) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Domain d : domains) {
      boolean active = isActive(d.name(), out);
      Object v = params.get(d.name());
      if (active && v == null) {
        throw new IllegalArgumentException("parameter '" + d.name() + "' is active but has no value in " + params);
      }
      if (active) {
        out.put(d.name(), d.coerce(v));
      }
    }
    for (String k : params.keySet()) {
      if (!byName.containsKey(k)) {
        throw new IllegalArgumentException("parameter '" + k + "' is not in the search space " + byName.keySet());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Whether {@code params} is a valid assignment of this space. */
  public boolean contains(Map<String, Object> params) {
    try {
      Map<String, Object> c = canonical(params);
      return c.keySet().equals(params.keySet());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A key that is equal for equal assignments, whatever the map's order or numeric types. */
  public static String key(Map<String, Object> params) {
    return ParamsJson.write(new TreeMap<>(params));
  }

  /** The names of the parameters, in declaration order. */
  public List<String> names() {
    return new ArrayList<>(byName.keySet());
  }

  @Override
  public String toString() {
    return "SearchSpace" + domains + (conditions.isEmpty() ? "" : " where " + conditions);
  }
}
