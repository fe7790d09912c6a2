package io.tunelake.spark;

import io.tunelake.optimize.Direction;
import io.tunelake.space.Categorical;
import io.tunelake.space.Condition;
import io.tunelake.space.Domain;
import io.tunelake.space.Fixed;
import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import io.tunelake.space.SearchSpace;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.JobSpecParser;
import io.tunelake.spec.ParamSpec;
import io.tunelake.spec.SpecException;
import io.tunelake.spec.StageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.Classifier;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.clustering.BisectingKMeans;
import org.apache.spark.ml.clustering.GaussianMixture;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.LDA;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The pipeline a study tunes: its named stages in order, the estimator last (or a choice among
 * candidate estimators, the model families), the search space over the params of any stage,
 * and the evaluator that scores a trial (its direction from {@code isLargerBetter}) with the
 * secondary metrics recorded beside it.
 *
 * <p>A tuned param is addressed as {@code stage.param}; a bare name is the estimator's param,
 * so studies that tune the estimator alone keep their keys. With several families, the family
 * is the categorical root parameter {@value #FAMILY} and each family's params, addressed as
 * {@code family.param}, are active only when it is chosen.
 *
 * <p>Two front ends make one: {@link #fromSpec} from a job spec (whose {@code featurize} block
 * stands for its stages), and {@link #of} from the user's own MLlib objects. The engine fits
 * the {@link #prefixLength() untuned prefix} once per fold, each later stage once per fold per
 * distinct {@link #setting setting}, and the estimator per trial.
 */
public final class StudyPipeline {
  /** The parameter that holds the model family when a study chooses among several. */
  public static final String FAMILY = JobSpecParser.FAMILY;

  /** A stage and its name in the study, which addresses its params as {@code name.param}. */
  public record Stage(String name, PipelineStage stage) {
    public Stage {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(stage, "stage");
    }
  }

  /** One candidate model family: its name (the value of {@value #FAMILY}) and its estimator. */
  public record Family(String name, Estimator<?> estimator) {
    public Family {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(estimator, "estimator");
    }
  }

  /** Makes a tuned param active only where {@code parent} takes one of {@code values}. */
  public record When(Param<?> parent, List<?> values) {
    public When {
      values = List.copyOf(values);
    }
  }

  /** Where a space key goes: the stage (by name) and the param (its MLlib name). */
  record Target(String stage, String param) {}

  /** What an API message calls a setting, and what a spec message calls a field. */
  private static final String SPACE = "space";

  private final List<Stage> stages;
  private final List<Family> families;
  private final SearchSpace space;
  private final Map<String, Target> targets;
  private final Evaluator evaluator;
  private final List<String> also;
  private final String featuresCol;
  private final int prefixLength;

  private StudyPipeline(List<Stage> stages, List<Family> families, SearchSpace space, Map<String, Target> targets,
      Evaluator evaluator, List<String> also, String featuresCol) {
    this.stages = List.copyOf(stages);
    this.families = List.copyOf(families);
    this.space = space;
    this.targets = Map.copyOf(targets);
    this.evaluator = evaluator;
    this.also = List.copyOf(also);
    this.featuresCol = featuresCol;
    int prefix = 0;
    while (prefix < this.stages.size() && !isTuned(this.stages.get(prefix).name())) {
      prefix++;
    }
    this.prefixLength = prefix;
  }

  // ---------------------------------------------------------------------------------------------
  // From a spec

  /**
   * The pipeline of {@code spec} as far as it is known without data: the spec's own stages (not
   * the {@code featurize} ones, which depend on the columns), the estimators and the typed
   * space. Every stage, param and space key is checked here, before any Spark job.
   */
  static StudyPipeline checkSpec(JobSpec spec) {
    List<Stage> stages = new ArrayList<>();
    for (int i = 0; i < spec.pipeline().size(); i++) {
      StageSpec s = spec.pipeline().get(i);
      stages.add(new Stage(s.name(), SparkStages.create("pipeline[" + i + "]", s)));
    }
    List<Family> families = new ArrayList<>();
    for (int i = 0; i < spec.estimators().size(); i++) {
      StageSpec s = spec.estimators().get(i);
      String field = spec.choosesFamily() ? "estimator.choice[" + i + "]" : "estimator";
      if (!SparkEstimators.isKnown(s.stage())) {
        throw SpecException.unknown(field, "estimator", s.stage(), SparkEstimators.names());
      }
      Estimator<?> est = SparkEstimators.create(s.stage());
      for (Map.Entry<String, Object> e : s.params().entrySet()) {
        SparkStages.set(field + "." + e.getKey(), s.name(), est, e.getKey(), e.getValue());
      }
      families.add(new Family(s.name(), est));
    }
    Map<String, Target> targets = new LinkedHashMap<>();
    SearchSpace space = typedSpace(spec, stages, families, targets);
    return new StudyPipeline(stages, families, space, targets, null, spec.evaluation().also(), SparkPipelines.FEATURES);
  }

  /**
   * The pipeline of {@code spec} on data with {@code columns}: the spec's stages, or the
   * {@code featurize} stages for the columns, then the estimators wired to the features and the
   * label; its evaluator is set {@link #withEvaluator once the metric is known}.
   */
  static StudyPipeline fromSpec(JobSpec spec, SparkStudyPlan.Columns columns) {
    StudyPipeline checked = checkSpec(spec);
    List<Stage> stages = spec.pipeline().isEmpty() ? SparkPipelines.template(spec, columns) : checked.stages;
    String features = spec.pipeline().isEmpty() ? SparkPipelines.FEATURES : outputOf(stages);
    List<Family> families = new ArrayList<>();
    for (Family f : checked.families) {
      families.add(new Family(f.name(), SparkPipelines.wired(f.estimator(), columns, features,
          spec.search().seed())));
    }
    return new StudyPipeline(stages, families, checked.space, checked.targets, null, checked.also, features);
  }

  /** The column the estimator reads its features from: the last stage's output, else {@code features}. */
  private static String outputOf(List<Stage> stages) {
    for (int i = stages.size() - 1; i >= 0; i--) {
      PipelineStage s = stages.get(i).stage();
      if (s.hasParam("outputCol") && s.isDefined(s.getParam("outputCol"))) {
        return String.valueOf(s.getOrDefault(s.getParam("outputCol")));
      }
    }
    return "features";
  }

  private static SearchSpace typedSpace(JobSpec spec, List<Stage> stages, List<Family> families,
      Map<String, Target> targets) {
    List<Domain> domains = new ArrayList<>();
    Map<String, Condition> conditions = new LinkedHashMap<>();
    boolean choice = families.size() > 1;
    if (choice) {
      domains.add(new Categorical(FAMILY, families.stream().<Object>map(Family::name).toList()));
    }
    Map<String, String> familyOf = new LinkedHashMap<>();
    for (ParamSpec p : spec.space()) {
      String field = SPACE + "." + p.name();
      Target t = specTarget(field, p.name(), stages, families);
      PipelineStage stage = stageNamed(t.stage(), stages, families);
      Domain d = p.toDomain(SparkEstimators.paramType(field, t.stage(), stage, t.param()));
      for (Object v : endpoints(d)) {
        SparkEstimators.checkValue(field, t.stage(), stage, t.param(), v);
      }
      domains.add(d);
      targets.put(p.name(), t);
      boolean familyParam = choice && families.stream().anyMatch(f -> f.name().equals(t.stage()));
      if (familyParam) {
        familyOf.put(p.name(), t.stage());
      }
      Condition when = p.when();
      if (when != null && familyParam && !when.parent().equals(FAMILY)
          && !t.stage().equals(familyOf.get(when.parent()))) {
        throw new SpecException(field + ".when", "'" + p.name() + "' is a parameter of family '" + t.stage()
            + "', but its condition names '" + when.parent() + "', which is not a parameter of that family; "
            + "expected a parameter of '" + t.stage() + "' or '" + FAMILY + "'");
      }
      if (when == null && familyParam) {
        when = new Condition(FAMILY, List.of(t.stage()));
      }
      if (when != null) {
        conditions.put(p.name(), when);
      }
    }
    try {
      return SearchSpace.of(domains, conditions);
    } catch (IllegalArgumentException e) {
      throw new SpecException(SPACE, e.getMessage());
    }
  }

  /** The stage and param a spec's space key addresses: {@code stage.param}, or a bare estimator param. */
  private static Target specTarget(String field, String key, List<Stage> stages, List<Family> families) {
    int dot = key.indexOf('.');
    if (dot < 0) {
      if (families.size() > 1) {
        throw new SpecException(field, "the study chooses among " + families.stream().map(Family::name).toList()
            + ", so a parameter names its family, as <family>.<param> (such as '" + families.get(0).name() + "."
            + key + "'); expected a qualified name, but got '" + key + "'");
      }
      return new Target(families.get(0).name(), key);
    }
    String stage = key.substring(0, dot);
    List<String> names = new ArrayList<>();
    stages.forEach(s -> names.add(s.name()));
    families.forEach(f -> names.add(f.name()));
    if (!names.contains(stage)) {
      throw SpecException.unknown(field, "stage", stage, names);
    }
    return new Target(stage, key.substring(dot + 1));
  }

  private static PipelineStage stageNamed(String name, List<Stage> stages, List<Family> families) {
    for (Stage s : stages) {
      if (s.name().equals(name)) {
        return s.stage();
      }
    }
    for (Family f : families) {
      if (f.name().equals(name)) {
        return f.estimator();
      }
    }
    throw new IllegalStateException("no stage named " + name);
  }

  private static List<Object> endpoints(Domain d) {
    if (d instanceof FloatRange r) {
      return List.of(r.low(), r.high());
    }
    if (d instanceof IntRange r) {
      return List.of(r.low(), r.high());
    }
    return d.gridValues(2);
  }

  // ---------------------------------------------------------------------------------------------
  // From the user's objects

  /**
   * The pipeline of the user's {@code estimator} (a {@code Pipeline} whose last stage is the
   * estimator, or an estimator alone), tuned over {@code domains} (each an MLlib {@code Param}
   * of one of its stages, the domain's own name ignored) where {@code conditions} hold, scored by
   * {@code evaluator}. Stages are named by the snake_case of their class, numbered when repeated.
   *
   * @throws IllegalArgumentException naming the setting, the value and what was expected
   */
  public static StudyPipeline of(Estimator<?> estimator, Evaluator evaluator, Map<Param<?>, Domain> domains,
      Map<Param<?>, When> conditions) {
    if (estimator == null) {
      throw new IllegalArgumentException("estimator: expected an Estimator or a Pipeline to tune, but got nothing");
    }
    if (evaluator == null) {
      throw new IllegalArgumentException("evaluator: expected an Evaluator to score trials with, but got nothing");
    }
    List<PipelineStage> all = estimator instanceof Pipeline p ? List.of(p.getStages()) : List.of(estimator);
    if (all.isEmpty() || !(all.get(all.size() - 1) instanceof Estimator<?>)) {
      throw new IllegalArgumentException("estimator: expected a Pipeline whose last stage is an Estimator, but got "
          + (all.isEmpty() ? "no stages" : "a " + all.get(all.size() - 1).getClass().getSimpleName() + " last"));
    }
    List<String> names = numberedNames(all);
    List<Stage> stages = new ArrayList<>();
    for (int i = 0; i < all.size() - 1; i++) {
      stages.add(new Stage(names.get(i), all.get(i).copy(new ParamMap())));
    }
    Estimator<?> last = (Estimator<?>) all.get(all.size() - 1);
    Family family = new Family(names.get(names.size() - 1), (Estimator<?>) last.copy(new ParamMap()));
    Map<String, Target> targets = new LinkedHashMap<>();
    List<Domain> typed = new ArrayList<>();
    Map<Param<?>, String> keys = new LinkedHashMap<>();
    for (Map.Entry<Param<?>, Domain> e : domains.entrySet()) {
      Param<?> p = e.getKey();
      int at = indexOfParent(p, all);
      if (at < 0) {
        throw new IllegalArgumentException("searchSpace: the param '" + p.name() + "' belongs to " + p.parent()
            + ", which is no stage of the estimator " + names + "; expected a Param of one of its stages "
            + "(such as lr.regParam() of the LogisticRegression in the pipeline)");
      }
      boolean isEstimator = at == all.size() - 1;
      String key = isEstimator ? p.name() : names.get(at) + "." + p.name();
      keys.put(p, key);
      targets.put(key, new Target(names.get(at), p.name()));
      typed.add(renamed(e.getValue(), key));
    }
    Map<String, Condition> when = new LinkedHashMap<>();
    for (Map.Entry<Param<?>, When> e : conditions.entrySet()) {
      String child = keys.get(e.getKey());
      String parent = keys.get(e.getValue().parent());
      if (child == null || parent == null) {
        throw new IllegalArgumentException("searchSpace: a condition names the param '"
            + (child == null ? e.getKey() : e.getValue().parent()) + "', which is not in the search space "
            + keys.values() + "; expected a param the space tunes");
      }
      when.put(child, new Condition(parent, new ArrayList<>(e.getValue().values())));
    }
    SearchSpace space;
    try {
      space = SearchSpace.of(typed, when);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("searchSpace: " + ex.getMessage(), ex);
    }
    String features = family.estimator().hasParam("featuresCol")
        ? String.valueOf(family.estimator().getOrDefault(family.estimator().getParam("featuresCol"))) : "features";
    return new StudyPipeline(stages, List.of(family), space, targets, evaluator, List.of(), features);
  }

  private static int indexOfParent(Param<?> p, List<PipelineStage> all) {
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).uid().equals(p.parent())) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> numberedNames(List<PipelineStage> all) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<String> plain = new ArrayList<>();
    for (PipelineStage s : all) {
      String n = StageSpec.snakeCase(s.getClass().getSimpleName());
      plain.add(n);
      counts.merge(n, 1, Integer::sum);
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    List<String> out = new ArrayList<>();
    for (String n : plain) {
      out.add(counts.get(n) > 1 ? n + "_" + seen.merge(n, 1, Integer::sum) : n);
    }
    return out;
  }

  /** {@code d} under the name {@code name}. */
  static Domain renamed(Domain d, String name) {
    if (d instanceof FloatRange r) {
      return new FloatRange(name, r.low(), r.high(), r.log(), r.step());
    }
    if (d instanceof IntRange r) {
      return new IntRange(name, r.low(), r.high(), r.log(), r.step());
    }
    if (d instanceof Categorical c) {
      return new Categorical(name, c.choices());
    }
    return new Fixed(name, ((Fixed) d).value());
  }

  // ---------------------------------------------------------------------------------------------
  // What the engine asks

  /** The stages before the estimator, in order. */
  public List<Stage> stages() {
    return stages;
  }

  /** The candidate estimators: one, or several when the study chooses the model family. */
  public List<Family> families() {
    return families;
  }

  /** The search space, keyed {@code stage.param} (bare names for the estimator's params). */
  public SearchSpace space() {
    return space;
  }

  /** The evaluator that scores a trial's folds; null only before the data is known. */
  public Evaluator evaluator() {
    return evaluator;
  }

  /** The metric's name: the evaluator's {@code metricName}, or its class's simple name. */
  public String metric() {
    return metricOf(evaluator);
  }

  /** The name of the metric {@code evaluator} computes: its {@code metricName}, or its class's simple name. */
  public static String metricOf(Evaluator evaluator) {
    if (evaluator.hasParam("metricName")) {
      return String.valueOf(evaluator.getOrDefault(evaluator.getParam("metricName")));
    }
    return evaluator.getClass().getSimpleName();
  }

  /** Whether a larger score is better, from the evaluator. */
  public Direction direction() {
    return Direction.of(evaluator.isLargerBetter());
  }

  /** The secondary metrics recorded per fold beside the objective, without steering the search. */
  public List<String> also() {
    return also;
  }

  /** The column the estimator reads its features from. */
  public String featuresCol() {
    return featuresCol;
  }

  /** The task of the estimators, from their MLlib type (the first family's; all share it). */
  public Task task() {
    return taskOf(families.get(0).estimator(), evaluator);
  }

  /** The task of {@code est} scored by {@code evaluator}: by the estimator's MLlib type, else the evaluator's. */
  public static Task taskOf(Estimator<?> est, Evaluator evaluator) {
    if (est instanceof ALS) {
      return Task.RECOMMENDATION;
    }
    if (est instanceof KMeans || est instanceof BisectingKMeans || est instanceof GaussianMixture
        || est instanceof LDA || evaluator instanceof ClusteringEvaluator) {
      return Task.CLUSTERING;
    }
    if (est instanceof Regressor<?, ?, ?> || evaluator instanceof RegressionEvaluator) {
      return Task.REGRESSION;
    }
    if (est instanceof Classifier<?, ?, ?> || evaluator instanceof BinaryClassificationEvaluator
        || evaluator instanceof MulticlassClassificationEvaluator) {
      return Task.CLASSIFICATION;
    }
    return Task.REGRESSION;
  }

  /** The objective on a model's predictions. */
  double score(Dataset<Row> predictions) {
    return SparkMetrics.score(predictions, evaluator);
  }

  /** Whether a searched param (or a conditional one) sets stage {@code name}. */
  private boolean isTuned(String name) {
    for (Map.Entry<String, Target> e : targets.entrySet()) {
      if (e.getValue().stage().equals(name)) {
        Domain d = space.domain(e.getKey()).orElseThrow();
        if (d.isSearched() || space.condition(e.getKey()).isPresent()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * How many leading stages no trial changes: they are fitted once per fold and shared by
   * every trial.
   */
  public int prefixLength() {
    return prefixLength;
  }

  /** The untuned leading stages as a pipeline (fixed params of the space applied). */
  public Pipeline prefix() {
    List<PipelineStage> out = new ArrayList<>();
    for (int i = 0; i < prefixLength; i++) {
      out.add(configured(i, fixedValues()));
    }
    return new Pipeline().setStages(out.toArray(new PipelineStage[0]));
  }

  private Map<String, Object> fixedValues() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Domain d : space.domains()) {
      if (!d.isSearched() && space.condition(d.name()).isEmpty()) {
        out.put(d.name(), d.fromUnit(0.5));
      }
    }
    return out;
  }

  /** Stage {@code i} configured with the params of {@code params} that address it. */
  @SuppressWarnings("unchecked")
  public PipelineStage configured(int i, Map<String, Object> params) {
    Stage s = stages.get(i);
    ParamMap map = new ParamMap();
    for (Map.Entry<String, Object> e : params.entrySet()) {
      Target t = targets.get(e.getKey());
      if (t != null && t.stage().equals(s.name())) {
        Param<Object> p = (Param<Object>) s.stage().getParam(t.param());
        map.put(p, SparkStages.toParamValue(p, e.getValue()));
      }
    }
    return s.stage().copy(map);
  }

  /**
   * The setting of the stages up to {@code i}: the params of {@code params} that address
   * stages {@link #prefixLength()}..{@code i}, in a canonical form. Two trials with the same
   * setting fit the same stage {@code i} on the same fold.
   */
  public String setting(int i, Map<String, Object> params) {
    Map<String, Object> out = new TreeMap<>();
    for (int j = prefixLength; j <= i; j++) {
      String name = stages.get(j).name();
      for (Map.Entry<String, Object> e : params.entrySet()) {
        Target t = targets.get(e.getKey());
        if (t != null && t.stage().equals(name)) {
          out.put(e.getKey(), e.getValue());
        }
      }
    }
    return SearchSpace.key(out);
  }

  /** The family {@code params} chose (the only one when the study has one). */
  public Family family(Map<String, Object> params) {
    if (families.size() == 1) {
      return families.get(0);
    }
    Object name = params.get(FAMILY);
    for (Family f : families) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(FAMILY + " '" + name + "' is none of " + families.stream()
        .map(Family::name).toList());
  }

  /**
   * The estimator of {@code params}' family configured with its params; a perceptron's
   * {@code layers}, unless set, come from {@code featureCount} inputs and {@code numClasses}
   * outputs ({@link SparkPipelines#layers}).
   */
  @SuppressWarnings("unchecked")
  public Estimator<?> estimator(Map<String, Object> params, int featureCount, int numClasses) {
    Family f = family(params);
    Estimator<?> est = f.estimator();
    ParamMap map = new ParamMap();
    Map<String, Object> own = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : params.entrySet()) {
      Target t = targets.get(e.getKey());
      if (t == null || !t.stage().equals(f.name())) {
        continue;
      }
      own.put(t.param(), e.getValue());
      if (!SparkEstimators.isArchitecture(t.param())) {
        Param<Object> p = (Param<Object>) est.getParam(t.param());
        map.put(p, SparkStages.toParamValue(p, e.getValue()));
      }
    }
    if (est instanceof MultilayerPerceptronClassifier mlp && !mlp.isSet(mlp.layers())) {
      map.put(mlp.layers(), SparkPipelines.layers(own, featureCount, numClasses));
    }
    return (Estimator<?>) est.copy(map);
  }

  /**
   * The whole pipeline of one trial: every stage configured from {@code params}, the estimator
   * last; {@code featureCount} and {@code numClasses} size a perceptron.
   */
  public Pipeline pipeline(Map<String, Object> params, int featureCount, int numClasses) {
    List<PipelineStage> out = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      out.add(configured(i, params));
    }
    out.add(estimator(params, featureCount, numClasses));
    return new Pipeline().setStages(out.toArray(new PipelineStage[0]));
  }

  /** An assignment from the middle of the space that chooses family {@code family}, for checks. */
  Map<String, Object> sample(int family) {
    double[] u = new double[space.dimension()];
    java.util.Arrays.fill(u, 0.5);
    if (families.size() > 1) {
      u[space.names().indexOf(FAMILY)] = (family + 0.5) / families.size();
    }
    return space.fromUnit(u);
  }

  /** A copy scored by {@code evaluator} with {@code also} as secondary metrics. */
  StudyPipeline withEvaluator(Evaluator evaluator, List<String> also) {
    return new StudyPipeline(stages, families, space, targets, evaluator, also, featuresCol);
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    stages.forEach(s -> names.add(s.name()));
    names.add(families.size() == 1 ? families.get(0).name()
        : "choice" + families.stream().map(Family::name).toList());
    return "StudyPipeline" + names + " over " + space.names();
  }
}
