package io.tunelake.spec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated job spec: which data, which pipeline, which space, how to score and search, and
 * where the tables go. Built by {@link JobSpecParser}; every field is documented in
 * {@code docs/spec.md}. {@code source} is the spec as YAML after overrides, as stored with
 * the study.
 *
 * <p>The pipeline is {@code pipeline} (its stages before the estimator), or, when that is
 * empty, the stages {@code featurize} stands for. {@code estimators} are the candidate
 * estimators: one, or several for a study that also chooses the model family (then
 * {@code estimator} reads {@code choice[a, b, ...]}).
 */
public record JobSpec(
    String study,
    Data data,
    Featurize featurize,
    List<StageSpec> pipeline,
    String estimator,
    List<StageSpec> estimators,
    List<ParamSpec> space,
    Evaluation evaluation,
    Search search,
    Store store,
    String source) {

  public JobSpec {
    Objects.requireNonNull(study, "study");
    pipeline = List.copyOf(pipeline);
    estimators = List.copyOf(estimators);
    space = List.copyOf(space);
  }

  /**
   * Where the rows come from and which columns matter. {@code version} pins the Delta table
   * version to read (time travel); null reads the latest.
   */
  public record Data(
      String path,
      String table,
      String format,
      Map<String, String> options,
      String label,
      List<String> features,
      double testFraction,
      Long version) {
    public Data {
      options = Map.copyOf(options);
      features = List.copyOf(features);
    }

    /** The path or table, for messages and lineage. */
    public String location() {
      return path != null ? path : table;
    }
  }

  /**
   * The untuned stages before the estimator: string columns are indexed and, with
   * {@code encoding: onehot}, one-hot encoded; {@code scaling} standardises or min-max scales
   * the assembled vector.
   */
  public record Featurize(String encoding, String scaling) {}

  /**
   * How trials are scored. {@code metric} and {@code strategy} are null when the spec leaves
   * them to the task's default (resolved once the estimator is known). {@code objectives} holds
   * the objectives, constraints and selection rule ({@link ObjectivesSpec#NONE} for the metric
   * alone); with objectives, {@code metric} is the first.
   */
  public record Evaluation(
      String metric, String strategy, int folds, String groupColumn, String orderColumn, double validationFraction,
      EvaluatorSpec evaluator, List<String> also, ObjectivesSpec objectives) {
    public Evaluation {
      also = List.copyOf(also);
      Objects.requireNonNull(objectives, "objectives");
    }

    /** An evaluation of the metric alone. */
    public Evaluation(String metric, String strategy, int folds, String groupColumn, String orderColumn,
        double validationFraction, EvaluatorSpec evaluator, List<String> also) {
      this(metric, strategy, folds, groupColumn, orderColumn, validationFraction, evaluator, also, ObjectivesSpec.NONE);
    }

    /**
     * The metrics measured per fold besides {@code metric}: {@code also}, then every other metric
     * the objectives, constraints and selection rule name.
     */
    public List<String> measured(String metric) {
      List<String> out = new java.util.ArrayList<>(also);
      objectives.measured(metric).stream().filter(m -> !out.contains(m)).forEach(out::add);
      return out;
    }
  }

  /**
   * An evaluator named in the spec ({@code evaluation.evaluator}): its class (short snake_case
   * name or full class name, from an allow-list) and its params.
   */
  public record EvaluatorSpec(String className, Map<String, Object> params) {
    public EvaluatorSpec {
      Objects.requireNonNull(className, "className");
      params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }
  }

  /** Whether the study chooses among several model families. */
  public boolean choosesFamily() {
    return estimators.size() > 1;
  }

  /**
   * How trials are proposed, and when the study stops. {@code parallelism} 0 means the cluster's
   * cores; {@code target} (null = none) stops once the best trial reaches it; {@code patience}
   * (0 = off) stops after that many trials without improvement; {@code warmStart} names earlier
   * studies whose compatible trials seed the optimizer ({@link #AUTO}: chosen by similarity); {@code pruning} races trials over
   * folds; {@code schedule} hands out reduced budgets (multi-fidelity); {@code fusedFits} fits
   * a round's logistic regressions together, one Spark job per optimizer step for all of them.
   */
  public record Search(
      String algorithm, int trials, int batchSize, int parallelism, long seed, Duration timeout,
      Double target, int patience, Map<String, Object> options, List<String> warmStart, Pruning pruning,
      Schedule schedule, boolean fusedFits) {
    /**
     * {@code warmStart} of {@code search.warm_start: auto}: the studies are chosen by the
     * similarity of their data (no study can bear this name).
     */
    public static final List<String> AUTO = List.of("<auto>");

    public Search {
      options = Map.copyOf(options);
      warmStart = List.copyOf(warmStart);
      Objects.requireNonNull(pruning, "pruning");
      Objects.requireNonNull(schedule, "schedule");
    }

    /** Whether the warm-start studies are chosen by the similarity of their data ({@code warm_start: auto}). */
    public boolean warmStartAuto() {
      return warmStart.equals(AUTO);
    }
  }

  /**
   * Racing trials over folds: a trial that cannot plausibly beat the best one at the
   * {@code confidence} level stops after the folds it reached.
   */
  public record Pruning(boolean enabled, double confidence) {}

  /**
   * A multi-fidelity schedule: {@code type} is {@code none}, {@code successive_halving},
   * {@code asha} or {@code hyperband}; budgets go from {@code minBudget} up to 1 in steps of
   * {@code eta}; {@code resource} is {@code rows} (the fraction of each fold's training rows) or
   * the name of an iteration-like parameter fixed in the space (its value times the budget).
   */
  public record Schedule(String type, double eta, double minBudget, String resource) {
    /** Every trial at full budget. */
    public static final Schedule NONE = new Schedule("none", 3, 1.0 / 9, "rows");

    public boolean isNone() {
      return "none".equals(type);
    }
  }

  /** Where the Delta tables and models live. */
  public record Store(String path, String database) {}

  /** A copy with the store path replaced (the CLI's {@code --store}). */
  public JobSpec withStorePath(String path) {
    return new JobSpec(study, data, featurize, pipeline, estimator, estimators, space, evaluation, search,
        new Store(path, store.database()), source);
  }
}
