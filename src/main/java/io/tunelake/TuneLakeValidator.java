package io.tunelake;

import io.tunelake.optimize.Optimizers;
import io.tunelake.spark.SparkMetrics;
import io.tunelake.spark.StudyPipeline;
import io.tunelake.spark.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * Tunes any {@code Estimator} or {@code Pipeline} where Spark's {@code CrossValidator} would,
 * with TuneLake's optimizers, budgets and Delta tables: {@link #fit} runs a study (every trial
 * committed to the {@code trials} table under {@link #setStorePath the store}, a re-fit resuming
 * it), refits the best params on all rows and returns a {@link TunedModel}.
 *
 * <p>The space is either a {@link ParamSpace} over the estimator's own {@code Param} objects
 * ({@link #setSearchSpace}) or an existing {@code ParamGridBuilder} grid
 * ({@link #setEstimatorParamMaps}), which runs unchanged as a grid study. Every setting is
 * checked before any Spark job runs; a bad one throws an {@link IllegalArgumentException} that
 * names the setting, the value and the fix ({@link TuneLakeErrors}).
 *
 * <pre>{@code
 * LogisticRegression lr = new LogisticRegression();
 * Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, lr});
 * TunedModel tuned = new TuneLakeValidator()
 *     .setEstimator(pipeline)
 *     .setEvaluator(new BinaryClassificationEvaluator())
 *     .setSearchSpace(ParamSpace.builder().logUniform(lr.regParam(), 1e-4, 1.0).build())
 *     .setNumFolds(3)
 *     .setTrials(20)
 *     .setStudy("churn-lr")
 *     .fit(train);
 * tuned.trials().orderBy("mean").show();
 * Dataset<Row> scored = tuned.transform(test);
 * }</pre>
 */
public final class TuneLakeValidator extends Estimator<TunedModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  static final Pattern STUDY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
  static final Set<String> STRATEGIES = Set.of("kfold", "stratified", "group", "time", "holdout");
  static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
  static final Set<String> SCHEDULERS = Set.of("none", "successive_halving", "asha", "hyperband");

  private final String uid;
  private final Param<Estimator<?>> estimator;
  private final Param<Evaluator> evaluator;
  private final Param<ParamMap[]> estimatorParamMaps;
  private final Param<ParamSpace> searchSpace;
  private final IntParam numFolds;
  private final Param<String> foldCol;
  private final Param<String> strategy;
  private final Param<String> groupCol;
  private final Param<String> orderCol;
  private final IntParam parallelism;
  private final LongParam seed;
  private final Param<String> study;
  private final Param<String> storePath;
  private final Param<String> database;
  private final Param<String> algorithm;
  private final IntParam trials;
  private final IntParam batchSize;
  private final LongParam timeout;
  private final DoubleParam target;
  private final IntParam patience;
  private final BooleanParam pruning;
  private final DoubleParam pruningConfidence;
  private final Param<String> scheduler;
  private final DoubleParam schedulerEta;
  private final StringArrayParam warmStart;
  private final BooleanParam warmStartAuto;
  private final BooleanParam acceptChanges;
  private final StringArrayParam objectives;
  private final GoalParams.Bounds constraints;
  private final GoalParams.Select select;

  /** A validator with a random uid and the defaults of every setting. */
  public TuneLakeValidator() {
    this(Identifiable.randomUID("tuneLakeValidator"));
  }

  /** A validator with {@code uid} (used when loading a saved one). */
  public TuneLakeValidator(String uid) {
    this.uid = uid;
    estimator = new Param<>(this, "estimator", "the Estimator or Pipeline to tune");
    evaluator = new Param<>(this, "evaluator", "the Evaluator that scores each trial on a validation fold");
    estimatorParamMaps = new Param<>(this, "estimatorParamMaps", "a grid of param maps (ParamGridBuilder) run "
        + "as a grid study; not with searchSpace");
    searchSpace = new Param<>(this, "searchSpace", "the ParamSpace searched; not with estimatorParamMaps");
    numFolds = new IntParam(this, "numFolds", "number of folds for cross validation (>= 2)");
    foldCol = new Param<>(this, "foldCol", "a column of fold ids in [0, numFolds) instead of assigned folds");
    strategy = new Param<>(this, "strategy", "how rows are assigned to folds: " + STRATEGIES
        + "; empty for the label's default (stratified for classifiers)");
    groupCol = new Param<>(this, "groupCol", "the column whose groups stay in one fold (strategy group)");
    orderCol = new Param<>(this, "orderCol", "the column that orders rows in time (strategy time)");
    parallelism = new IntParam(this, "parallelism", "concurrent fits; 0 for the cluster's cores");
    seed = new LongParam(this, "seed", "seed of the folds and the optimizer");
    study = new Param<>(this, "study", "the study's name in the tables; fitting again resumes it");
    storePath = new Param<>(this, "storePath", "where the Delta tables, fold assignments and models live");
    database = new Param<>(this, "database", "a catalog database to register the tables in; empty for none");
    algorithm = new Param<>(this, "algorithm", "the optimizer: " + Optimizers.names());
    trials = new IntParam(this, "trials", "the study's budget of trials (>= 1)");
    batchSize = new IntParam(this, "batchSize", "trials proposed and evaluated per round (>= 1)");
    timeout = new LongParam(this, "timeout", "seconds after which no new round starts; 0 for none");
    target = new DoubleParam(this, "target", "stop once the best mean reaches this; NaN for none");
    patience = new IntParam(this, "patience", "stop after this many trials without improvement; 0 for off");
    pruning = new BooleanParam(this, "pruning", "race trials over folds and stop the hopeless ones early");
    pruningConfidence = new DoubleParam(this, "pruningConfidence", "how sure a pruned trial is worse, in (0.5, 1)");
    scheduler = new Param<>(this, "scheduler", "multi-fidelity schedule: " + SCHEDULERS);
    schedulerEta = new DoubleParam(this, "schedulerEta", "the schedule's reduction factor (>= 2)");
    warmStart = new StringArrayParam(this, "warmStart", "earlier studies whose compatible trials seed the optimizer");
    warmStartAuto = new BooleanParam(this, "warmStartAuto", "warm-start from the earlier studies of the store "
        + "whose data are most similar (same estimator and metric); not with warmStart");
    acceptChanges = new BooleanParam(this, "acceptChanges", "continue a study whose pipeline, space or evaluation "
        + "changed since it last ran, keeping its trials");
    objectives = new StringArrayParam(this, "objectives", "the metrics optimised together (a Pareto search): the "
        + "evaluator's first, then metrics of the task or costs (" + String.join(", ", SparkMetrics.costs()) + ")");
    constraints = new GoalParams.Bounds(this, "constraints", "bounds on metrics' means a trial must keep to be "
        + "feasible; an infeasible trial is never on the front nor picked");
    select = new GoalParams.Select(this, "select", "the rule that picks the trial to report and refit; default the "
        + "knee of the Pareto front (several objectives), else the best metric");
    setDefault(numFolds, 3);
    setDefault(foldCol, "");
    setDefault(strategy, "");
    setDefault(groupCol, "");
    setDefault(orderCol, "");
    setDefault(parallelism, 0);
    setDefault(seed, 42L);
    setDefault(study, uid);
    setDefault(storePath, "./warehouse/tunelake");
    setDefault(database, "");
    setDefault(algorithm, Optimizers.DEFAULT);
    setDefault(trials, 20);
    setDefault(batchSize, 8);
    setDefault(timeout, 0L);
    setDefault(target, Double.NaN);
    setDefault(patience, 0);
    setDefault(pruningConfidence, 0.99);
    setDefault(scheduler, "none");
    setDefault(schedulerEta, 3.0);
    setDefault(warmStart, new String[0]);
    setDefault(warmStartAuto, false);
    setDefault(acceptChanges, false);
    setDefault(objectives, new String[0]);
    setDefault(constraints, new MetricBound[0]);
  }

  @Override
  public String uid() {
    return uid;
  }

  // --- Params, as Spark names them --------------------------------------------------------------

  public Param<Estimator<?>> estimator() {
    return estimator;
  }

  public Param<Evaluator> evaluator() {
    return evaluator;
  }

  public Param<ParamMap[]> estimatorParamMaps() {
    return estimatorParamMaps;
  }

  public Param<ParamSpace> searchSpace() {
    return searchSpace;
  }

  public IntParam numFolds() {
    return numFolds;
  }

  public Param<String> foldCol() {
    return foldCol;
  }

  public Param<String> strategy() {
    return strategy;
  }

  public Param<String> groupCol() {
    return groupCol;
  }

  public Param<String> orderCol() {
    return orderCol;
  }

  public IntParam parallelism() {
    return parallelism;
  }

  public LongParam seed() {
    return seed;
  }

  public Param<String> study() {
    return study;
  }

  public Param<String> storePath() {
    return storePath;
  }

  public Param<String> database() {
    return database;
  }

  public Param<String> algorithm() {
    return algorithm;
  }

  public IntParam trials() {
    return trials;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public LongParam timeout() {
    return timeout;
  }

  public DoubleParam target() {
    return target;
  }

  public IntParam patience() {
    return patience;
  }

  public BooleanParam pruning() {
    return pruning;
  }

  public DoubleParam pruningConfidence() {
    return pruningConfidence;
  }

  public Param<String> scheduler() {
    return scheduler;
  }

  public DoubleParam schedulerEta() {
    return schedulerEta;
  }

  public StringArrayParam warmStart() {
    return warmStart;
  }

  public BooleanParam warmStartAuto() {
    return warmStartAuto;
  }

  public BooleanParam acceptChanges() {
    return acceptChanges;
  }

  public StringArrayParam objectives() {
    return objectives;
  }

  public Param<MetricBound[]> constraints() {
    return constraints;
  }

  public Param<Selection> select() {
    return select;
  }

  // --- Fluent setters ---------------------------------------------------------------------------

  /** The estimator or {@code Pipeline} to tune; its stages' params are what the space searches. */
  public TuneLakeValidator setEstimator(Estimator<?> value) {
    return put(estimator, value);
  }

  /** Scores each trial on each validation fold; the direction comes from {@code isLargerBetter}. */
  public TuneLakeValidator setEvaluator(Evaluator value) {
    return put(evaluator, value);
  }

  /** A {@code ParamGridBuilder} grid, run as a grid study: one trial per param map. */
  public TuneLakeValidator setEstimatorParamMaps(ParamMap[] value) {
    return put(estimatorParamMaps, value);
  }

  /** The space the optimizer searches. */
  public TuneLakeValidator setSearchSpace(ParamSpace value) {
    return put(searchSpace, value);
  }

  /** Number of folds (>= 2); default 3. */
  public TuneLakeValidator setNumFolds(int value) {
    return put(numFolds, value);
  }

  /** A column of fold ids in {@code [0, numFolds)}, as {@code CrossValidator.setFoldCol}. */
  public TuneLakeValidator setFoldCol(String value) {
    return put(foldCol, value);
  }

  /** How rows are assigned to folds: kfold, stratified, group, time or holdout. */
  public TuneLakeValidator setStrategy(String value) {
    return put(strategy, value);
  }

  /** The column whose groups stay in one fold (strategy {@code group}). */
  public TuneLakeValidator setGroupCol(String value) {
    return put(groupCol, value);
  }

  /** The column that orders rows in time (strategy {@code time}). */
  public TuneLakeValidator setOrderCol(String value) {
    return put(orderCol, value);
  }

  /** Concurrent fits; 0 (the default) uses the cluster's cores. */
  public TuneLakeValidator setParallelism(int value) {
    return put(parallelism, value);
  }

  /** Seed of the fold assignment and the optimizer; default 42. */
  public TuneLakeValidator setSeed(long value) {
    return put(seed, value);
  }

  /** The study's name in the tables; fitting a study of the same name again resumes it. */
  public TuneLakeValidator setStudy(String value) {
    return put(study, value);
  }

  /** Where the tables live; default {@code ./warehouse/tunelake}. */
  public TuneLakeValidator setStorePath(String value) {
    return put(storePath, value);
  }

  /** A catalog database the tables are registered in. */
  public TuneLakeValidator setDatabase(String value) {
    return put(database, value);
  }

  /** The optimizer (grid, random, sobol, tpe, gp, cmaes, bayes, ...). */
  public TuneLakeValidator setAlgorithm(String value) {
    return put(algorithm, value);
  }

  /** The study's budget of trials; default 20. */
  public TuneLakeValidator setTrials(int value) {
    return put(trials, value);
  }

  /** Trials per round; default 8. */
  public TuneLakeValidator setBatchSize(int value) {
    return put(batchSize, value);
  }

  /** No new round starts after {@code value}; a started round is always committed. */
  public TuneLakeValidator setTimeout(Duration value) {
    return put(timeout, value == null ? 0L : Math.max(1, value.toSeconds()));
  }

  /** Stop once the best mean reaches {@code value} (in the evaluator's direction). */
  public TuneLakeValidator setTarget(double value) {
    return put(target, value);
  }

  /** Stop after {@code value} trials in a row without improvement; 0 (default) for off. */
  public TuneLakeValidator setPatience(int value) {
    return put(patience, value);
  }

  /** Race trials over folds; on by default for model-based optimizers. */
  public TuneLakeValidator setPruning(boolean value) {
    return put(pruning, value);
  }

  /** How sure the race must be that a pruned trial is worse, in (0.5, 1); default 0.99. */
  public TuneLakeValidator setPruningConfidence(double value) {
    return put(pruningConfidence, value);
  }

  /** A multi-fidelity schedule over rows: none (default), successive_halving, asha or hyperband. */
  public TuneLakeValidator setScheduler(String value) {
    return put(scheduler, value);
  }

  /** The schedule's reduction factor; default 3. */
  public TuneLakeValidator setSchedulerEta(double value) {
    return put(schedulerEta, value);
  }

  /** Earlier studies whose trials, where they fit this space and metric, seed the optimizer. */
  public TuneLakeValidator setWarmStart(String... value) {
    return put(warmStart, value);
  }

  /**
   * Warm-start from the earlier studies of the store with the same estimator and metric whose
   * data are most similar (rows, columns, share of string columns, class balance or label
   * spread), their trials weighted by that similarity; the job spec's {@code warm_start: auto}.
   * Not with {@link #setWarmStart}.
   */
  public TuneLakeValidator setWarmStartAuto(boolean value) {
    return put(warmStartAuto, value);
  }

  /** Continue a study whose pipeline, space or evaluation changed, keeping its trials. */
  public TuneLakeValidator setAcceptChanges(boolean value) {
    return put(acceptChanges, value);
  }

  /**
   * Several objectives, optimised together (a Pareto search), as the job spec's
   * {@code evaluation.objectives}: the first is the evaluator's metric (its {@code metricName},
   * or its class's simple name), each other one a metric of the task (scored by MLlib's
   * evaluator for it, its direction that evaluator's) or a cost, smaller being better:
   * {@code fit_seconds}, {@code model_size}, {@code predict_ms_per_1k_rows},
   * {@code model_size_bytes}. Each is measured on every fold; without a {@link #setSelect rule}
   * the study picks the knee of the front.
   */
  public TuneLakeValidator setObjectives(String... value) {
    return put(objectives, value);
  }

  /** Bounds a trial must keep to be feasible ({@code evaluation.constraints}); metrics as in {@link #setObjectives}. */
  public TuneLakeValidator setConstraints(MetricBound... value) {
    return put(constraints, value);
  }

  /** The rule that picks the trial to report and refit ({@code evaluation.select}). */
  public TuneLakeValidator setSelect(Selection value) {
    return put(select, value);
  }

  private <T> TuneLakeValidator put(Param<T> param, T value) {
    set(param, value);
    return this;
  }

  // --- Getters ----------------------------------------------------------------------------------

  public Estimator<?> getEstimator() {
    return isDefined(estimator) ? getOrDefault(estimator) : null;
  }

  public Evaluator getEvaluator() {
    return isDefined(evaluator) ? getOrDefault(evaluator) : null;
  }

  public ParamMap[] getEstimatorParamMaps() {
    return isDefined(estimatorParamMaps) ? getOrDefault(estimatorParamMaps) : null;
  }

  public ParamSpace getSearchSpace() {
    return isDefined(searchSpace) ? getOrDefault(searchSpace) : null;
  }

  public int getNumFolds() {
    return (Integer) getOrDefault(numFolds);
  }

  public String getFoldCol() {
    return getOrDefault(foldCol);
  }

  public String getStudy() {
    return getOrDefault(study);
  }

  public String getStorePath() {
    return getOrDefault(storePath);
  }

  public String getAlgorithm() {
    return getOrDefault(algorithm);
  }

  public int getTrials() {
    return (Integer) getOrDefault(trials);
  }

  public long getSeed() {
    return (Long) getOrDefault(seed);
  }

  /** Every setting, read once, for the engine. */
  Settings settings() {
    return new Settings(getEstimator(), getEvaluator(), getEstimatorParamMaps(), getSearchSpace(), getNumFolds(),
        getFoldCol(), getOrDefault(strategy), getOrDefault(groupCol), getOrDefault(orderCol),
        (Integer) getOrDefault(parallelism), getSeed(), getStudy(), getStorePath(), getOrDefault(database),
        getAlgorithm(), getTrials(), (Integer) getOrDefault(batchSize), (Long) getOrDefault(timeout),
        (Double) getOrDefault(target), (Integer) getOrDefault(patience),
        isSet(pruning) ? (Boolean) getOrDefault(pruning) : null, (Double) getOrDefault(pruningConfidence),
        getOrDefault(scheduler), (Double) getOrDefault(schedulerEta), List.of(getOrDefault(warmStart)),
        (Boolean) getOrDefault(warmStartAuto), (Boolean) getOrDefault(acceptChanges), isSet(algorithm), isSet(trials),
        List.of(getOrDefault(objectives)), Arrays.asList(getOrDefault(constraints)),
        isDefined(select) ? getOrDefault(select) : null);
  }

  /** The settings of one fit, as read from the params. */
  record Settings(Estimator<?> estimator, Evaluator evaluator, ParamMap[] grid, ParamSpace space, int numFolds,
      String foldCol, String strategy, String groupCol, String orderCol, int parallelism, long seed, String study,
      String storePath, String database, String algorithm, int trials, int batchSize, long timeoutSeconds,
      double target, int patience, Boolean pruning, double pruningConfidence, String scheduler, double schedulerEta,
      List<String> warmStart, boolean warmStartAuto, boolean acceptChanges, boolean algorithmSet, boolean trialsSet,
      List<String> objectives, List<MetricBound> constraints, Selection select) {}

  // --- Checks -----------------------------------------------------------------------------------

  /**
   * Checks every setting against the others and against {@code schema}, before any Spark job;
   * the first problem is thrown as an {@link IllegalArgumentException} naming the setting, the
   * value and the fix.
   */
  void check(StructType schema) {
    Settings s = settings();
    if (s.estimator() == null) {
      throw TuneLakeErrors.missing("estimator", "an Estimator or a Pipeline to tune",
          "setEstimator(pipeline) before fit");
    }
    if (s.evaluator() == null) {
      throw TuneLakeErrors.missing("evaluator", "an Evaluator to score each trial",
          "setEvaluator(new BinaryClassificationEvaluator()), or any Evaluator of your own, before fit");
    }
    if (s.grid() != null && s.space() != null) {
      throw TuneLakeErrors.conflict("estimatorParamMaps", "searchSpace", "a study searches either a grid or a "
          + "space", "keep setEstimatorParamMaps(grid) for a grid study, or setSearchSpace(space) for a search");
    }
    if (s.grid() == null && s.space() == null) {
      throw TuneLakeErrors.missing("searchSpace", "a ParamSpace or a grid of param maps",
          "setSearchSpace(ParamSpace.builder().logUniform(lr.regParam(), 1e-4, 1).build()) or "
              + "setEstimatorParamMaps(new ParamGridBuilder()...build())");
    }
    if (s.space() != null && s.space().isEmpty()) {
      throw TuneLakeErrors.invalid("searchSpace", "a space with at least one param", s.space().toString(),
          "add a param to the builder, such as .logUniform(lr.regParam(), 1e-4, 1)");
    }
    if (s.grid() != null && s.grid().length == 0) {
      throw TuneLakeErrors.invalid("estimatorParamMaps", "at least one param map", "an empty array",
          "build the grid with new ParamGridBuilder().addGrid(...).build()");
    }
    if (s.grid() != null && s.algorithmSet() && !"grid".equals(s.algorithm())) {
      throw TuneLakeErrors.conflict("estimatorParamMaps", "algorithm", "a grid of param maps runs every map "
          + "once, so it is a grid study, not '" + s.algorithm() + "'", "drop setAlgorithm, or give a "
          + "ParamSpace with setSearchSpace to search it with '" + s.algorithm() + "'");
    }
    checkParamsBelong(s);
    if (!Optimizers.isKnown(s.algorithm())) {
      throw TuneLakeErrors.unknown("algorithm", "algorithm", s.algorithm(), Optimizers.names(),
          "setAlgorithm(\"" + Optimizers.DEFAULT + "\")");
    }
    if (s.trials() < 1) {
      throw TuneLakeErrors.invalid("trials", TuneLakeErrors.TRIALS, s.trials(), "setTrials(20)");
    }
    if (s.batchSize() < 1) {
      throw TuneLakeErrors.invalid("batchSize", TuneLakeErrors.BATCH_SIZE, s.batchSize(), "setBatchSize(8)");
    }
    if (s.parallelism() < 0) {
      throw TuneLakeErrors.invalid("parallelism", TuneLakeErrors.PARALLELISM, s.parallelism(), "setParallelism(0)");
    }
    if (s.patience() < 0) {
      throw TuneLakeErrors.invalid("patience", TuneLakeErrors.PATIENCE, s.patience(), "setPatience(0)");
    }
    if (!(s.pruningConfidence() > 0.5 && s.pruningConfidence() < 1)) {
      throw TuneLakeErrors.invalid("pruningConfidence", TuneLakeErrors.PRUNING_CONFIDENCE, s.pruningConfidence(),
          "setPruningConfidence(0.99)");
    }
    if (!SCHEDULERS.contains(s.scheduler())) {
      throw TuneLakeErrors.unknown("scheduler", "schedule", s.scheduler(), sorted(SCHEDULERS),
          "setScheduler(\"asha\")");
    }
    if (!(s.schedulerEta() >= 2)) {
      throw TuneLakeErrors.invalid("schedulerEta", TuneLakeErrors.SCHEDULER_ETA, s.schedulerEta(),
          "setSchedulerEta(3)");
    }
    if (!STUDY_NAME.matcher(s.study()).matches()) {
      throw TuneLakeErrors.invalid("study", TuneLakeErrors.STUDY_NAME, s.study(), "setStudy(\"churn-lr\")");
    }
    if (s.warmStartAuto() && !s.warmStart().isEmpty()) {
      throw TuneLakeErrors.conflict("warmStart", "warmStartAuto", "warm start auto chooses the earlier studies by "
          + "the similarity of their data", "drop setWarmStart(...), or setWarmStartAuto(false) to name the studies");
    }
    for (String w : s.warmStart()) {
      if (!STUDY_NAME.matcher(w).matches()) {
        throw TuneLakeErrors.invalid("warmStart", TuneLakeErrors.STUDY_NAME, w, "setWarmStart(\"earlier-study\")");
      }
    }
    if (s.storePath() == null || s.storePath().isBlank()) {
      throw TuneLakeErrors.missing("storePath", "a directory for the Delta tables", "setStorePath(\"/data/tunelake\")");
    }
    checkFolds(s, schema);
    checkEvaluator(s, schema);
    checkGoals(s);
  }

  /**
   * The objectives, constraints and selection rule name metrics the study can measure, the
   * evaluator's first, each bound with a side and {@code min <= max}: what the job spec checks
   * of {@code evaluation.objectives}, {@code constraints} and {@code select}.
   */
  private static void checkGoals(Settings s) {
    Task task = StudyPipeline.taskOf(lastEstimator(s.estimator()), s.evaluator());
    String metric = StudyPipeline.metricOf(s.evaluator());
    List<String> known = SparkMetrics.measurable(task);
    String example = "setObjectives(\"" + metric + "\", \"" + SparkMetrics.costs().get(0) + "\")";
    List<String> objectives = s.objectives();
    if (objectives.stream().distinct().count() != objectives.size()) {
      throw TuneLakeErrors.invalid("objectives", "distinct metrics", objectives, "name each metric once, as "
          + example);
    }
    if (!objectives.isEmpty() && !objectives.get(0).equals(metric)) {
      throw TuneLakeErrors.mismatch("objectives", objectives.get(0), "is the first objective, but the first is the "
          + "study's metric and the evaluator computes '" + metric + "'", "start with the evaluator's metric, as "
          + example);
    }
    for (String m : objectives.subList(Math.min(1, objectives.size()), objectives.size())) {
      checkMetric("objectives", m, known, example);
    }
    for (MetricBound b : s.constraints()) {
      checkBound("constraints", b, known, "setConstraints(MetricBound.atMost(\"fit_seconds\", 60))");
    }
    Selection select = s.select();
    if (select != null) {
      String fix = "setSelect(Selection.maximize(\"" + metric + "\", MetricBound.atMost(\"fit_seconds\", 60)))";
      checkMetric("select", select.metric(), known, fix);
      for (MetricBound b : select.subjectTo()) {
        checkBound("select", b, known, fix);
      }
    }
  }

  private static void checkMetric(String setting, String metric, List<String> known, String fix) {
    if (metric == null) {
      throw TuneLakeErrors.missing(setting, "a metric name", fix);
    }
    if (!known.contains(metric)) {
      throw TuneLakeErrors.unknown(setting, "metric", metric, known, fix);
    }
  }

  private static void checkBound(String setting, MetricBound b, List<String> known, String fix) {
    if (b == null) {
      throw TuneLakeErrors.missing(setting, "a MetricBound", fix);
    }
    checkMetric(setting, b.metric(), known, fix);
    if (b.min() == null && b.max() == null) {
      throw TuneLakeErrors.invalid(setting, "a min or a max on '" + b.metric() + "'", "neither", fix);
    }
    if ((b.min() != null && b.min().isNaN()) || (b.max() != null && b.max().isNaN())) {
      throw TuneLakeErrors.invalid(setting, "numbers as the bounds of '" + b.metric() + "'", "min=" + b.min()
          + ", max=" + b.max(), fix);
    }
    if (b.min() != null && b.max() != null && b.min() > b.max()) {
      throw TuneLakeErrors.invalid(setting, "min <= max for '" + b.metric() + "'", "min=" + b.min() + ", max="
          + b.max(), "MetricBound.between(\"" + b.metric() + "\", low, high) with low <= high");
    }
  }

  private void checkFolds(Settings s, StructType schema) {
    Set<String> columns = new LinkedHashSet<>(List.of(schema.fieldNames()));
    boolean holdout = "holdout".equals(s.strategy());
    if (s.numFolds() < 2 && !holdout) {
      throw TuneLakeErrors.invalid("numFolds", TuneLakeErrors.FOLDS, s.numFolds(), "setNumFolds(3), or "
          + "setStrategy(\"holdout\") for a single split");
    }
    if (!s.strategy().isEmpty() && !STRATEGIES.contains(s.strategy())) {
      throw TuneLakeErrors.unknown("strategy", "strategy", s.strategy(), sorted(STRATEGIES),
          "setStrategy(\"kfold\")");
    }
    if (!s.foldCol().isEmpty()) {
      if (!s.strategy().isEmpty()) {
        throw TuneLakeErrors.conflict("foldCol", "strategy", "a fold column already says which fold each row is "
            + "in", "drop one of them");
      }
      requireColumn("foldCol", s.foldCol(), columns);
    }
    if ("group".equals(s.strategy())) {
      if (s.groupCol().isEmpty()) {
        throw TuneLakeErrors.missing("groupCol", "the column that holds the groups for strategy 'group'",
            "setGroupCol(\"customer_id\")");
      }
      requireColumn("groupCol", s.groupCol(), columns);
    }
    if ("time".equals(s.strategy())) {
      if (s.orderCol().isEmpty()) {
        throw TuneLakeErrors.missing("orderCol", "the column that orders the rows for strategy 'time'",
            "setOrderCol(\"event_time\")");
      }
      requireColumn("orderCol", s.orderCol(), columns);
    }
  }

  private static void requireColumn(String setting, String column, Set<String> columns) {
    if (!columns.contains(column)) {
      throw TuneLakeErrors.mismatch(setting, column, "is not a column of the data " + columns,
          "name one of the data's columns");
    }
  }

  /** The evaluator's label column is in the data, and its kind of metric fits the estimator's. */
  private void checkEvaluator(Settings s, StructType schema) {
    Evaluator ev = s.evaluator();
    Set<String> columns = new LinkedHashSet<>(List.of(schema.fieldNames()));
    if (ev.hasParam("labelCol") && ev.isDefined(ev.getParam("labelCol"))) {
      String label = String.valueOf(ev.getOrDefault(ev.getParam("labelCol")));
      if (!columns.contains(label)) {
        throw TuneLakeErrors.mismatch("evaluator", ev.getClass().getSimpleName() + " labelCol=" + label,
            "names no column of the data " + columns, "set the evaluator's labelCol to the data's label column");
      }
    }
    Estimator<?> last = lastEstimator(s.estimator());
    String estimatorKind = ApiTasks.kindOf(last);
    String evaluatorKind = ApiTasks.kindOf(ev);
    if (estimatorKind != null && evaluatorKind != null && !estimatorKind.equals(evaluatorKind)) {
      throw TuneLakeErrors.mismatch("evaluator", ev.getClass().getSimpleName(), "scores " + evaluatorKind
          + ", but the estimator's last stage " + last.getClass().getSimpleName() + " is a " + estimatorKind
          + " model", "use an evaluator for " + estimatorKind + " (" + ApiTasks.evaluatorFor(estimatorKind) + ")");
    }
  }

  /** Every searched param belongs to a stage of the estimator. */
  private static void checkParamsBelong(Settings s) {
    List<PipelineStage> stages = stages(s.estimator());
    Set<String> uids = new LinkedHashSet<>();
    stages.forEach(st -> uids.add(st.uid()));
    List<Param<?>> params = new ArrayList<>();
    String setting;
    if (s.space() != null) {
      params.addAll(s.space().params());
      setting = "searchSpace";
    } else {
      for (ParamMap m : s.grid()) {
        for (ParamPair<?> pair : m.toList()) {
          params.add(pair.param());
        }
      }
      setting = "estimatorParamMaps";
    }
    for (Param<?> p : params) {
      if (!uids.contains(p.parent())) {
        throw TuneLakeErrors.mismatch(setting, p.parent() + "." + p.name(), "is a param of no stage of the "
            + "estimator " + uids, "take the param from a stage of the pipeline you tune (such as "
            + "lr.regParam() of the LogisticRegression in it), not from another instance");
      }
    }
  }

  /** The session writes Delta tables: Delta's catalog must be its {@code spark_catalog}. */
  private void checkDelta(org.apache.spark.sql.SparkSession spark) {
    String catalog = spark.conf().get("spark.sql.catalog.spark_catalog", "");
    if (!catalog.equals(DELTA_CATALOG)) {
      throw TuneLakeErrors.mismatch("storePath", getStorePath(), "needs a SparkSession configured for Delta Lake, "
          + "but spark.sql.catalog.spark_catalog is '" + catalog + "'", "build the session with .config(\"spark.sql."
          + "extensions\", \"io.delta.sql.DeltaSparkSessionExtension\") and .config(\"spark.sql.catalog."
          + "spark_catalog\", \"" + DELTA_CATALOG + "\")");
    }
  }

  /** The estimator's stages: a Pipeline's, or the estimator alone. */
  static List<PipelineStage> stages(Estimator<?> estimator) {
    if (estimator instanceof Pipeline p) {
      return p.isDefined(p.stages()) ? List.of(p.getStages()) : List.of();
    }
    return List.of(estimator);
  }

  private static Estimator<?> lastEstimator(Estimator<?> estimator) {
    List<PipelineStage> stages = stages(estimator);
    if (stages.isEmpty() || !(stages.get(stages.size() - 1) instanceof Estimator<?> last)) {
      throw TuneLakeErrors.mismatch("estimator", estimator.getClass().getSimpleName(), "has no Estimator as its "
          + "last stage", "end the Pipeline with the estimator to tune, such as a LogisticRegression");
    }
    return last;
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }

  // --- Estimator --------------------------------------------------------------------------------

  /**
   * Runs (or resumes) the study on {@code dataset} and returns the best params refitted on all
   * its rows. Every setting is checked first, before any Spark job.
   */
  @Override
  public TunedModel fit(Dataset<?> dataset) {
    check(dataset.schema());
    checkDelta(dataset.sparkSession());
    TunedModel model = ApiStudy.run(this, settings(), dataset.toDF());
    return model.setParent(this);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    Estimator<?> est = getEstimator();
    return est == null ? schema : est.transformSchema(schema);
  }

  @Override
  public TuneLakeValidator copy(ParamMap extra) {
    TuneLakeValidator copied = (TuneLakeValidator) defaultCopy(extra);
    if (copied.getEstimator() != null) {
      copied.setEstimator((Estimator<?>) copied.getEstimator().copy(extra));
    }
    return copied;
  }

  // --- Persistence ------------------------------------------------------------------------------

  @Override
  public MLWriter write() {
    return new ApiPersistence.ValidatorWriter(this);
  }

  @Override
  public void save(String path) throws java.io.IOException {
    write().save(path);
  }

  /** Reads a validator saved with {@link #save}. */
  public static MLReader<TuneLakeValidator> read() {
    return new ApiPersistence.ValidatorReader();
  }

  /** Loads a validator saved with {@link #save}: its estimator, evaluator, space or grid, and settings. */
  public static TuneLakeValidator load(String path) {
    return read().load(path);
  }

  /** The params that persist as plain JSON values. */
  List<Param<?>> simpleParams() {
    return List.of(numFolds, foldCol, strategy, groupCol, orderCol, parallelism, seed, study, storePath, database,
        algorithm, trials, batchSize, timeout, target, patience, pruning, pruningConfidence, scheduler, schedulerEta,
        warmStart, warmStartAuto, acceptChanges, objectives, constraints, select);
  }

  <T> void setRaw(Param<T> param, T value) {
    set(param, value);
  }
}
