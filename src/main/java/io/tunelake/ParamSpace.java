package io.tunelake;

import io.tunelake.space.Categorical;
import io.tunelake.space.Domain;
import io.tunelake.space.Fixed;
import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;

/**
 * A search space over the {@code Param} objects of an estimator or of any stage of a
 * {@code Pipeline}: continuous ranges (optionally log-scaled), integer ranges, choices, fixed
 * values, and conditions ({@link Builder#when}) that make a param active only for some values
 * of another. Each value is checked against the param's own validator when the space is built,
 * so a bad bound fails here and not in the middle of a study.
 *
 * <pre>{@code
 * LogisticRegression lr = new LogisticRegression();
 * PCA pca = new PCA().setInputCol("raw").setOutputCol("features");
 * ParamSpace space = ParamSpace.builder()
 *     .logUniform(lr.regParam(), 1e-5, 1.0)
 *     .uniform(lr.elasticNetParam(), 0.0, 1.0)
 *     .intRange(pca.k(), 2, 20)
 *     .choice(lr.fitIntercept(), true, false)
 *     .build();
 * }</pre>
 */
public final class ParamSpace {
  private static final String SETTING = "searchSpace";

  /** One searched param and its domain (named by the param's {@code parent__name}). */
  record Entry(Param<?> param, Domain domain) {}

  /** {@code param} is active only where {@code parent} takes one of {@code values}. */
  record When(Param<?> param, Param<?> parent, List<Object> values) {}

  private final List<Entry> entries;
  private final List<When> conditions;

  private ParamSpace(List<Entry> entries, List<When> conditions) {
    this.entries = List.copyOf(entries);
    this.conditions = List.copyOf(conditions);
  }

  /** A builder for a space; {@link Builder#build} checks it. */
  public static Builder builder() {
    return new Builder();
  }

  /** The searched params, in the order they were added. */
  public List<Param<?>> params() {
    return entries.stream().<Param<?>>map(Entry::param).toList();
  }

  /** Whether the space searches nothing. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  List<Entry> entries() {
    return entries;
  }

  List<When> conditions() {
    return conditions;
  }

  /** Each param's domain, in order. */
  Map<Param<?>, Domain> domains() {
    Map<Param<?>, Domain> out = new LinkedHashMap<>();
    entries.forEach(e -> out.put(e.param(), e.domain()));
    return Collections.unmodifiableMap(out);
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Entry e : entries) {
      parts.add(e.domain().toString());
    }
    return "ParamSpace" + parts + (conditions.isEmpty() ? "" : " when " + conditions);
  }

  /**
   * Collects the params of a {@link ParamSpace}. Every method returns the builder; a param
   * given twice keeps its last domain.
   */
  public static final class Builder {
    private final Map<Param<?>, Domain> domains = new LinkedHashMap<>();
    private final Map<Param<?>, When> conditions = new LinkedHashMap<>();

    private Builder() {}

    /** A double param searched uniformly in {@code [low, high]}. */
    public Builder uniform(Param<?> param, double low, double high) {
      return range(param, low, high, false, "uniform");
    }

    /** A double param searched on a log scale in {@code [low, high]}, {@code low > 0}. */
    public Builder logUniform(Param<?> param, double low, double high) {
      return range(param, low, high, true, "logUniform");
    }

    /** An integer param searched over {@code low..high}, both included. */
    public Builder intRange(Param<?> param, int low, int high) {
      return intRange(param, low, high, false, "intRange");
    }

    /** An integer param searched on a log scale over {@code low..high}, {@code low >= 1}. */
    public Builder logIntRange(Param<?> param, int low, int high) {
      return intRange(param, low, high, true, "logIntRange");
    }

    /** A choice among {@code values} (strings, numbers or booleans). */
    public Builder choice(Param<?> param, Object... values) {
      return choice(param, Arrays.asList(values));
    }

    /** A choice among {@code values}; the Java-collection form of {@link #choice(Param, Object...)}. */
    public Builder choice(Param<?> param, List<?> values) {
      Objects.requireNonNull(param, "param");
      List<Object> checked = new ArrayList<>();
      for (Object v : values) {
        checked.add(checkValue(param, v, "choice"));
      }
      return put(param, () -> new Categorical(key(param), checked), "choice");
    }

    /** A param held at {@code value} in every trial. */
    public Builder fixed(Param<?> param, Object value) {
      Object v = checkValue(param, value, "fixed");
      return put(param, () -> new Fixed(key(param), v), "fixed");
    }

    /**
     * Makes {@code param} (already added) active only in trials where {@code parent} (also in
     * the space) takes one of {@code values}: {@code .when(lr.elasticNetParam(), lr.regParam(), ...)}.
     */
    public Builder when(Param<?> param, Param<?> parent, Object... values) {
      Objects.requireNonNull(param, "param");
      Objects.requireNonNull(parent, "parent");
      for (Param<?> p : List.of(param, parent)) {
        if (!domains.containsKey(p)) {
          throw TuneLakeErrors.mismatch(SETTING, p.name(), "is named in when(...), but it is not in the space "
              + names(), "add it with uniform, intRange or choice before the condition");
        }
      }
      if (values.length == 0) {
        throw TuneLakeErrors.missing(SETTING, "at least one value of '" + parent.name() + "' for when(...)",
            "when(param, parent, value1, value2, ...)");
      }
      List<Object> checked = new ArrayList<>();
      for (Object v : values) {
        checked.add(checkValue(parent, v, "when"));
      }
      conditions.put(param, new When(param, parent, checked));
      return this;
    }

    /** The space; an empty one is allowed here and refused by the validator that gets it. */
    public ParamSpace build() {
      List<Entry> entries = new ArrayList<>();
      domains.forEach((p, d) -> entries.add(new Entry(p, d)));
      return new ParamSpace(entries, new ArrayList<>(conditions.values()));
    }

    private List<String> names() {
      return domains.keySet().stream().map(Param::name).toList();
    }

    private Builder range(Param<?> param, double low, double high, boolean log, String method) {
      Objects.requireNonNull(param, "param");
      if (!(param instanceof DoubleParam || param instanceof FloatParam)) {
        throw TuneLakeErrors.mismatch(SETTING, param.name(), "is not a double-valued param, so " + method
            + " cannot search it", integral(param) ? "intRange(" + param.name() + ", low, high)"
            : "choice(" + param.name() + ", values...)");
      }
      checkValue(param, low, method);
      checkValue(param, high, method);
      return put(param, () -> new FloatRange(key(param), low, high, log, 0), method);
    }

    private Builder intRange(Param<?> param, int low, int high, boolean log, String method) {
      Objects.requireNonNull(param, "param");
      if (!integral(param)) {
        throw TuneLakeErrors.mismatch(SETTING, param.name(), "is not an integer param, so " + method
            + " cannot search it", param instanceof DoubleParam ? "uniform(" + param.name() + ", low, high)"
            : "choice(" + param.name() + ", values...)");
      }
      checkValue(param, low, method);
      checkValue(param, high, method);
      return put(param, () -> new IntRange(key(param), low, high, log, 1), method);
    }

    private Builder put(Param<?> param, java.util.function.Supplier<Domain> domain, String method) {
      try {
        domains.put(param, domain.get());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("setting '" + SETTING + "': " + method + "(" + param.name() + "): "
            + e.getMessage(), e);
      }
      return this;
    }

    private static boolean integral(Param<?> p) {
      return p instanceof IntParam || p instanceof LongParam;
    }
  }

  /** The domain's name for {@code param}: unique per stage and param. */
  static String key(Param<?> param) {
    return param.parent() + "__" + param.name();
  }

  /** {@code value} in the param's own type, checked by its validator. */
  @SuppressWarnings("unchecked")
  static Object checkValue(Param<?> param, Object value, String method) {
    Object v = typed(param, value, method);
    boolean ok;
    try {
      ok = (Boolean) ((scala.Function1<Object, Object>) param.isValid()).apply(v);
    } catch (ClassCastException e) {
      ok = false;
    }
    if (!ok) {
      throw TuneLakeErrors.invalid(SETTING, "a value " + param.name() + " accepts (" + param.doc() + ")", value,
          method + "(" + param.name() + ", ...) with values inside the param's bounds");
    }
    return v;
  }

  private static Object typed(Param<?> param, Object value, String method) {
    if (value instanceof Number n) {
      if (param instanceof IntParam && n.doubleValue() == Math.rint(n.doubleValue())) {
        return n.intValue();
      }
      if (param instanceof LongParam && n.doubleValue() == Math.rint(n.doubleValue())) {
        return n.longValue();
      }
      if (param instanceof DoubleParam) {
        return n.doubleValue();
      }
      if (param instanceof FloatParam) {
        return n.floatValue();
      }
    }
    if (value == null) {
      throw TuneLakeErrors.invalid(SETTING, "a value for " + param.name(), null, method + "(" + param.name()
          + ", ...) with non-null values");
    }
    return value;
  }
}
