package io.tunelake.spark;

import io.tunelake.optimize.Direction;
import io.tunelake.space.Condition;
import io.tunelake.space.Domain;
import io.tunelake.space.SearchSpace;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.ParamSpec;
import io.tunelake.spec.SpecException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A job spec checked against the estimator catalogue and the data's schema: the task, the typed
 * search space, the metric and its direction, the fold strategy, and which columns are
 * numeric, string or vector features. Everything here is decided before any tuning job runs;
 * only the data checks (schema inference, emptiness, label classes) touch the data.
 */
public record SparkStudyPlan(
    JobSpec spec,
    Task task,
    SearchSpace space,
    String metric,
    Direction direction,
    String strategy,
    Columns columns,
    int numClasses) {

  /** The columns a study uses, by role. */
  public record Columns(String label, List<String> numeric, List<String> strings, List<String> vectors,
      String group, String order) {
    public Columns {
      numeric = List.copyOf(numeric);
      strings = List.copyOf(strings);
      vectors = List.copyOf(vectors);
    }

    /** Every feature column, in the order they are assembled. */
    public List<String> features() {
      List<String> all = new ArrayList<>(numeric);
      all.addAll(strings);
      all.addAll(vectors);
      return all;
    }
  }

  /** What can be checked with no data at all: the estimator, the space, the metric, the strategy. */
  public record Static(Task task, SearchSpace space) {}

  /** Checks the parts of {@code spec} that depend on the estimator but not on the data. */
  public static Static checkStatic(JobSpec spec) {
    Task task = SparkEstimators.task(spec.estimator());
    SearchSpace space = typedSpace(spec);
    String metric = spec.evaluation().metric();
    if (metric != null) {
      SparkMetrics.check(spec.estimator(), task, metric);
    }
    String strategy = spec.evaluation().strategy();
    if ("stratified".equals(strategy) && task != Task.CLASSIFICATION) {
      throw new SpecException("evaluation.strategy", "'stratified' needs class labels, but " + spec.estimator()
          + " is a " + task.name().toLowerCase() + " estimator; expected one of [kfold, group, time, holdout]");
    }
    if (task == Task.RECOMMENDATION && spec.data().features().size() != 2) {
      throw new SpecException("data.features", "ALS needs exactly two columns, the user and the item id, "
          + "but got " + spec.data().features());
    }
    return new Static(task, space);
  }

  private static SearchSpace typedSpace(JobSpec spec) {
    List<Domain> domains = new ArrayList<>();
    Map<String, Condition> conditions = new LinkedHashMap<>();
    for (ParamSpec p : spec.space()) {
      Domain d = p.toDomain(SparkEstimators.paramType(spec.estimator(), p.name()));
      for (Object v : endpoints(d)) {
        SparkEstimators.checkValue(spec.estimator(), p.name(), v);
      }
      domains.add(d);
      if (p.when() != null) {
        conditions.put(p.name(), p.when());
      }
    }
    try {
      return SearchSpace.of(domains, conditions);
    } catch (IllegalArgumentException e) {
      throw new SpecException("space", e.getMessage());
    }
  }

  private static List<Object> endpoints(Domain d) {
    if (d instanceof io.tunelake.space.FloatRange r) {
      return List.of(r.low(), r.high());
    }
    if (d instanceof io.tunelake.space.IntRange r) {
      return List.of(r.low(), r.high());
    }
    return d.gridValues(2);
  }

  /**
   * Resolves the plan against {@code data}: columns exist and have usable types, the data has
   * rows, and a classifier's label holds class indices.
   */
  public static SparkStudyPlan resolve(JobSpec spec, Dataset<Row> data) {
    Static s = checkStatic(spec);
    // Emptiness first: an empty CSV infers every column as string, which would misreport the label.
    if (data.isEmpty()) {
      throw new SpecException("data", "'" + spec.data().location() + "' has no rows; expected a non-empty data set");
    }
    Columns columns = columns(spec, s.task(), data.schema());
    int classes = 0;
    if (s.task() == Task.CLASSIFICATION) {
      classes = SparkData.classCount(data, columns.label());
    }
    String metric = spec.evaluation().metric() != null ? spec.evaluation().metric()
        : SparkMetrics.defaultMetric(s.task(), classes == 2);
    if (s.task() == Task.CLASSIFICATION) {
      SparkMetrics.checkClasses(metric, classes);
    }
    String strategy = spec.evaluation().strategy() != null ? spec.evaluation().strategy()
        : s.task() == Task.CLASSIFICATION ? "stratified" : "kfold";
    return new SparkStudyPlan(spec, s.task(), s.space(), metric, SparkMetrics.direction(s.task(), metric),
        strategy, columns, classes);
  }

  /** The study's metric of a model's predictions. */
  double score(Dataset<Row> predictions) {
    return SparkMetrics.score(predictions, task, metric, columns.label());
  }

  /** How many folds the strategy yields. */
  public int folds() {
    return strategy.equals("holdout") ? 1 : spec.evaluation().folds();
  }

  private static Columns columns(JobSpec spec, Task task, StructType schema) {
    Set<String> names = new LinkedHashSet<>(List.of(schema.fieldNames()));
    JobSpec.Data d = spec.data();
    String label = d.label();
    boolean needsLabel = task != Task.CLUSTERING;
    if (needsLabel) {
      requireColumn(names, "data.label", label, spec);
      DataType lt = schema.apply(label).dataType();
      if (!(lt instanceof NumericType)) {
        throw SpecException.expected("data.label", "a numeric label column (class indices 0..k-1 or a real "
            + "number), but column '" + label + "' is " + lt.simpleString() + ";", label);
      }
    }
    String group = spec.evaluation().groupColumn();
    String order = spec.evaluation().orderColumn();
    if (group != null) {
      requireColumn(names, "evaluation.group_column", group, spec);
    }
    if (order != null) {
      requireColumn(names, "evaluation.order_column", order, spec);
    }
    List<String> features = d.features();
    if (features.isEmpty()) {
      features = new ArrayList<>(names);
      features.remove(label);
      features.remove(group);
      features.remove(order);
    }
    if (features.isEmpty()) {
      throw new SpecException("data.features", "no feature column is left in '" + d.location()
          + "' besides the label; expected at least one");
    }
    List<String> numeric = new ArrayList<>();
    List<String> strings = new ArrayList<>();
    List<String> vectors = new ArrayList<>();
    for (String f : features) {
      requireColumn(names, "data.features", f, spec);
      StructField field = schema.apply(f);
      DataType t = field.dataType();
      if (task == Task.RECOMMENDATION) {
        if (!(t instanceof NumericType)) {
          throw SpecException.expected("data.features", "integer user and item ids, but column '" + f + "' is "
              + t.simpleString() + ";", f);
        }
        numeric.add(f);
      } else if (t instanceof NumericType || t.equals(DataTypes.BooleanType)) {
        numeric.add(f);
      } else if (t.equals(DataTypes.StringType)) {
        strings.add(f);
      } else if (t.equals(SQLDataTypes.VectorType())) {
        vectors.add(f);
      } else {
        throw SpecException.expected("data.features", "numeric, string or vector columns, but column '" + f
            + "' is " + t.simpleString() + ";", f);
      }
    }
    return new Columns(needsLabel ? label : (names.contains(label) ? label : null), numeric, strings, vectors,
        group, order);
  }

  private static void requireColumn(Set<String> names, String field, String column, JobSpec spec) {
    if (!names.contains(column)) {
      throw SpecException.unknown(field, "column in '" + spec.data().location() + "':", column, names);
    }
  }
}
