package io.tunelake.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.tunelake.optimize.Optimizers;
import io.tunelake.optimize.pbt.PbtAlgorithm;
import io.tunelake.optimize.pbt.Population;
import io.tunelake.space.Condition;
import io.tunelake.study.ParetoGoals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a YAML job spec, applies {@code key.path=value} overrides, fills in defaults and checks
 * every field, so that a spec that gets past it only fails later for reasons that depend on
 * the estimator or the data. Precedence: override ({@code --set}) &gt; spec &gt; default.
 */
public final class JobSpecParser {
  /** The store path used when the spec names none. */
  public static final String DEFAULT_STORE = "./warehouse/tunelake";

  static final Set<String> FORMATS = Set.of("csv", "parquet", "delta", "orc", "libsvm", "json");
  static final Set<String> STRATEGIES = Set.of("kfold", "stratified", "group", "time", "holdout");
  static final Set<String> ENCODINGS = Set.of("onehot", "index");
  static final Set<String> SCALINGS = Set.of("none", "standard", "minmax");
  static final Set<String> SCHEDULES = Set.of("none", "successive_halving", "asha", "hyperband");
  static final double DEFAULT_PRUNING_CONFIDENCE = 0.99;
  /** The parameter that holds the model family of a study that chooses among several. */
  public static final String FAMILY = "estimator";
  private static final Pattern STAGE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
  private static final Set<String> PARAM_FIELDS = Set.of("low", "high", "log", "step", "type", "values", "value", "when");
  private static final Pattern STUDY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
  private static final ObjectMapper YAML = new ObjectMapper(
      new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private JobSpecParser() {}

  /** Parses the spec file at {@code path} with the given overrides. */
  public static JobSpec parse(Path path, List<String> overrides) {
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new SpecException("", "cannot read the job spec '" + path + "': " + e.getMessage()
          + "; expected a readable YAML file");
    }
    return parse(text, overrides);
  }

  /** Parses a spec given as YAML text with the given overrides. */
  public static JobSpec parse(String yaml, List<String> overrides) {
    JsonNode tree;
    try {
      tree = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr();
      throw new SpecException("", "the job spec is not valid YAML" + where + ": " + e.getOriginalMessage());
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new SpecException("", "the job spec is empty; expected a YAML mapping with at least "
          + "'study', 'data', 'estimator' and 'space'");
    }
    if (!tree.isObject()) {
      throw SpecException.expected("", "a YAML mapping at the top level", tree.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    ObjectNode root = ((ObjectNode) tree).deepCopy();
    for (String o : overrides) {
      applyOverride(root, o);
    }
    return build(root);
  }

  /**
   * Whether a spec's {@code evaluation} block sets objectives, constraints or a select rule,
   * read from the YAML tree alone: a read-only command then parses (and validates) a stored
   * spec only when it has goals beyond its metric. False for text that is not a YAML mapping.
   */
  public static boolean declaresGoals(String yaml) {
    try {
      JsonNode evaluation = YAML.readTree(yaml).path("evaluation");
      return evaluation.hasNonNull("objectives") || evaluation.hasNonNull("constraints")
          || evaluation.hasNonNull("select");
    } catch (JsonProcessingException | RuntimeException e) {
      return false;
    }
  }

  static void applyOverride(ObjectNode root, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw SpecException.expected("--set", "key.path=value", override);
    }
    String[] keys = override.substring(0, eq).trim().split("\\.");
    String raw = override.substring(eq + 1);
    JsonNode value;
    try {
      value = raw.isEmpty() ? JsonNodeFactory.instance.textNode("") : YAML.readTree(raw);
    } catch (JsonProcessingException e) {
      throw new SpecException("--set " + override.substring(0, eq), "the value is not valid YAML: " + raw);
    }
    ObjectNode node = root;
    for (int i = 0; i < keys.length - 1; i++) {
      JsonNode child = node.get(keys[i]);
      if (child == null || !child.isObject()) {
        child = node.putObject(keys[i]);
      }
      node = (ObjectNode) child;
    }
    node.set(keys[keys.length - 1], value == null ? JsonNodeFactory.instance.nullNode() : value);
  }

  private static JobSpec build(ObjectNode root) {
    Fields top = new Fields("", root);
    top.allowOnly("study", "data", "featurize", "pipeline", "estimator", "space", "evaluation", "search", "store");
    String study = top.requiredString("study");
    if (!STUDY_NAME.matcher(study).matches()) {
      throw SpecException.expected("study", "a name of letters, digits, '_', '-' or '.' (at most 100, "
          + "starting with a letter or digit)", study);
    }
    JobSpec.Data data = data(top.object("data", true));
    JobSpec.Featurize featurize = featurize(top.object("featurize", false));
    List<StageSpec> pipeline = stages("pipeline", root.get("pipeline"));
    if (!pipeline.isEmpty() && root.hasNonNull("featurize")) {
      throw new SpecException("featurize", "is shorthand for the stages before the estimator, but 'pipeline' lists "
          + "them too; expected one of the two (add the featurize stages to the pipeline, or drop the pipeline)");
    }
    List<StageSpec> estimators = estimators(root.get("estimator"));
    checkNames(pipeline, estimators);
    String estimator = estimators.size() == 1 ? estimators.get(0).stage()
        : "choice" + estimators.stream().map(StageSpec::stage).toList();
    List<ParamSpec> space = space(root.get("space"));
    JobSpec.Evaluation evaluation = evaluation(top.object("evaluation", false));
    JobSpec.Search search = search(top.object("search", false), space, evaluation.objectives().metrics().size() > 1);
    checkPopulation(search, root.get("search"), estimators, space);
    JobSpec.Store store = store(top.object("store", false));
    String source;
    try {
      source = YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return new JobSpec(study, data, featurize, pipeline, estimator, estimators, space, evaluation, search, store,
        source);
  }

  private static JobSpec.Data data(Fields f) {
    f.allowOnly("path", "table", "format", "options", "label", "features", "test_fraction", "version");
    String path = f.string("path", null);
    String table = f.string("table", null);
    if ((path == null) == (table == null)) {
      throw new SpecException("data", "exactly one of 'path' and 'table' must be given, but got "
          + (path == null ? "neither" : "both"));
    }
    String format = f.string("format", null);
    if (format == null) {
      format = table != null ? "table" : inferFormat(path);
    } else {
      format = format.toLowerCase(Locale.ROOT);
      if (!FORMATS.contains(format)) {
        throw SpecException.unknown("data.format", "format", format, sorted(FORMATS));
      }
    }
    Map<String, String> options = new LinkedHashMap<>();
    if ("csv".equals(format)) {
      options.put("header", "true");
      options.put("inferSchema", "true");
    }
    Fields opts = f.object("options", false);
    opts.node.fields().forEachRemaining(e -> {
      if (!e.getValue().isValueNode()) {
        throw SpecException.expected("data.options." + e.getKey(), "a single value", e.getValue());
      }
      options.put(e.getKey(), e.getValue().asText());
    });
    String label = f.string("label", "label");
    List<String> features = f.stringList("features");
    double testFraction = f.number("test_fraction", 0.2);
    if (!(testFraction >= 0 && testFraction < 1)) {
      throw SpecException.expected("data.test_fraction", "a fraction in [0, 1) of rows held out for the final test",
          testFraction);
    }
    if (features.contains(label)) {
      throw new SpecException("data.features", "the label column '" + label + "' cannot also be a feature");
    }
    Long version = null;
    if (f.node.has("version") && !f.node.get("version").isNull()) {
      int v = f.integer("version", -1);
      if (v < 0) {
        throw SpecException.expected("data.version", "a Delta table version >= 0", v);
      }
      if (!"delta".equals(format) && !"table".equals(format)) {
        throw new SpecException("data.version", "pins a Delta table version, but the data's format is '" + format
            + "'; remove data.version or read a Delta table");
      }
      version = (long) v;
    }
    return new JobSpec.Data(path, table, format, options, label, features, testFraction, version);
  }

  private static String inferFormat(String path) {
    String p = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
    for (String ext : List.of("csv", "parquet", "orc", "json")) {
      if (p.endsWith("." + ext)) {
        return ext;
      }
    }
    if (p.endsWith(".txt") || p.endsWith(".libsvm")) {
      return "libsvm";
    }
    if (Files.isDirectory(Path.of(path).resolve("_delta_log"))) {
      return "delta";
    }
    throw new SpecException("data.format", "cannot tell the format of '" + path + "' from its name; expected one of "
        + sorted(FORMATS));
  }

  private static JobSpec.Featurize featurize(Fields f) {
    f.allowOnly("encoding", "scaling");
    String encoding = f.choice("encoding", "onehot", ENCODINGS);
    String scaling = f.choice("scaling", "none", SCALINGS);
    return new JobSpec.Featurize(encoding, scaling);
  }

  /**
   * The {@code pipeline} list: each entry {@code {stage: <class>, name: <name>, <param>: <value>...}},
   * named by its short name when {@code name} is absent (numbered when the short name repeats).
   */
  private static List<StageSpec> stages(String field, JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray() || node.isEmpty()) {
      throw SpecException.expected(field, "a list of stages, each {stage: <MLlib class>, <param>: <value>...}", node);
    }
    List<StageSpec> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(stage(field + "[" + i + "]", node.get(i), true));
    }
    return numbered(out, node);
  }

  /** Repeated short names, where the spec gave no name, become {@code name_1}, {@code name_2}, ... */
  private static List<StageSpec> numbered(List<StageSpec> stages, JsonNode node) {
    Map<String, Integer> unnamed = new LinkedHashMap<>();
    for (int i = 0; i < stages.size(); i++) {
      if (!node.get(i).isObject() || !node.get(i).has("name")) {
        unnamed.merge(stages.get(i).name(), 1, Integer::sum);
      }
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    List<StageSpec> out = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      StageSpec s = stages.get(i);
      boolean named = node.get(i).isObject() && node.get(i).has("name");
      if (!named && unnamed.get(s.name()) > 1) {
        int n = seen.merge(s.name(), 1, Integer::sum);
        s = new StageSpec(s.stage(), s.name() + "_" + n, s.params());
      }
      out.add(s);
    }
    return out;
  }

  /** One stage: a class name alone, or a mapping with {@code stage}, an optional {@code name} and params. */
  private static StageSpec stage(String field, JsonNode node, boolean withParams) {
    if (node.isTextual()) {
      return StageSpec.of(node.textValue());
    }
    if (!node.isObject() || !node.has("stage")) {
      throw SpecException.expected(field, "a stage {stage: <MLlib class>, name: <name>, <param>: <value>...}", node);
    }
    Fields f = new Fields(field, (ObjectNode) node);
    String stage = f.requiredString("stage");
    String name = f.string("name", StageSpec.shortName(stage));
    if (!STAGE_NAME.matcher(name).matches()) {
      throw SpecException.expected(field + ".name", "a stage name of letters, digits and '_' (its params are "
          + "addressed as <name>.<param>)", name);
    }
    Map<String, Object> params = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      if (e.getKey().equals("stage") || e.getKey().equals("name")) {
        return;
      }
      if (!withParams) {
        throw SpecException.unknown(field + "." + e.getKey(), "field", e.getKey(), List.of("stage", "name"));
      }
      params.put(e.getKey(), stageValue(field + "." + e.getKey(), e.getValue()));
    });
    return new StageSpec(stage, name, params);
  }

  /** A stage param's value: a scalar, or a list (of scalars, or of lists for {@code splitsArray}). */
  private static Object stageValue(String field, JsonNode v) {
    if (v.isArray()) {
      List<Object> out = new ArrayList<>();
      v.forEach(x -> out.add(x.isArray() ? stageValue(field, x) : scalar(field, x)));
      return out;
    }
    return scalar(field, v);
  }

  /**
   * The candidate estimators: {@code estimator: name}, a stage mapping, or a choice among
   * several ({@code {choice: [...]}} or a plain list), which makes the family a parameter.
   */
  private static List<StageSpec> estimators(JsonNode node) {
    if (node == null || node.isNull() || (node.isTextual() && node.textValue().isBlank())) {
      throw new SpecException("estimator", "is missing; expected an estimator's short name, such as "
          + "logistic_regression, or {choice: [...]} of several");
    }
    JsonNode choice = node;
    String field = "estimator";
    if (node.isObject() && node.has("choice")) {
      new Fields(field, (ObjectNode) node).allowOnly("choice");
      choice = node.get("choice");
      field = "estimator.choice";
      if (!choice.isArray()) {
        throw SpecException.expected(field, "a list of candidate estimators", choice);
      }
    }
    if (!choice.isArray()) {
      return List.of(stage(field, node, true));
    }
    List<StageSpec> out = new ArrayList<>();
    for (int i = 0; i < choice.size(); i++) {
      out.add(stage(field + "[" + i + "]", choice.get(i), true));
    }
    if (out.size() < 2) {
      throw SpecException.expected(field, "at least two candidate estimators to choose among (name a single one "
          + "as estimator: <name>)", out.stream().map(StageSpec::stage).toList());
    }
    return out;
  }

  /** Stage and family names address params, so each is given once, and none is the family parameter's. */
  private static void checkNames(List<StageSpec> pipeline, List<StageSpec> estimators) {
    Map<String, String> seen = new LinkedHashMap<>();
    List<StageSpec> all = new ArrayList<>(pipeline);
    all.addAll(estimators);
    for (int i = 0; i < all.size(); i++) {
      StageSpec s = all.get(i);
      String field = i < pipeline.size() ? "pipeline[" + i + "].name"
          : estimators.size() == 1 ? "estimator" : "estimator.choice[" + (i - pipeline.size()) + "]";
      if (s.name().equals(FAMILY)) {
        throw new SpecException(field, "'" + FAMILY + "' names the model family parameter; expected another stage name");
      }
      String before = seen.put(s.name(), field);
      if (before != null) {
        throw new SpecException(field, "two stages are named '" + s.name() + "' (" + before + " and " + field
            + "); expected unique names, since params are addressed as <name>.<param>: give one a 'name:'");
      }
    }
  }

  private static List<ParamSpec> space(JsonNode node) {
    if (node == null || node.isNull()) {
      throw new SpecException("space", "is missing; expected a mapping from the estimator's parameter names to "
          + "ranges ({low, high}), choice lists or values");
    }
    if (!node.isObject() || node.isEmpty()) {
      throw SpecException.expected("space", "a non-empty mapping of parameter names", node);
    }
    List<ParamSpec> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (isStageGroup(e.getValue())) {
        // `pca: {k: [2, 4]}` is `pca.k: [2, 4]`; it is also what `--set space.pca.k=...` builds.
        e.getValue().fields().forEachRemaining(p -> out.add(param(e.getKey() + "." + p.getKey(), p.getValue())));
      } else {
        out.add(param(e.getKey(), e.getValue()));
      }
    }
    checkParents(out);
    return out;
  }

  private static boolean isStageGroup(JsonNode node) {
    if (!node.isObject() || node.isEmpty()) {
      return false;
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      if (PARAM_FIELDS.contains(names.next())) {
        return false;
      }
    }
    return true;
  }

  /** Each {@code when} names a parameter declared before it, the nearest one suggested if not. */
  private static void checkParents(List<ParamSpec> space) {
    List<String> names = space.stream().map(ParamSpec::name).toList();
    for (int i = 0; i < space.size(); i++) {
      ParamSpec p = space.get(i);
      if (p.when() == null || names.subList(0, i).contains(p.when().parent())) {
        continue;
      }
      String parent = p.when().parent();
      String field = "space." + p.name() + ".when";
      if (names.contains(parent)) {
        throw new SpecException(field, "parent '" + parent + "' is declared after '" + p.name()
            + "'; expected the parent first; move '" + parent + "' above '" + p.name() + "'");
      }
      List<String> others = new ArrayList<>(names);
      others.remove(p.name());
      throw SpecException.unknown(field, "parent parameter", parent, others);
    }
  }

  private static ParamSpec param(String name, JsonNode node) {
    String field = "space." + name;
    if (node.isValueNode() && !node.isNull()) {
      return new ParamSpec(name, ParamSpec.Kind.FIXED, 0, 0, false, 0, false, List.of(scalar(field, node)), null);
    }
    if (node.isArray()) {
      return new ParamSpec(name, ParamSpec.Kind.CHOICE, 0, 0, false, 0, false, choices(field, node), null);
    }
    if (!node.isObject()) {
      throw SpecException.expected(field, "a range {low, high}, a list of choices or a single value", node);
    }
    Fields f = new Fields(field, (ObjectNode) node);
    f.allowOnly("low", "high", "log", "step", "type", "values", "value", "when");
    Condition when = condition(field + ".when", node.get("when"));
    if (node.has("values")) {
      JsonNode values = node.get("values");
      if (!values.isArray()) {
        throw SpecException.expected(field + ".values", "a list of choices", values);
      }
      return new ParamSpec(name, ParamSpec.Kind.CHOICE, 0, 0, false, 0, false, choices(field + ".values", values), when);
    }
    if (node.has("value")) {
      return new ParamSpec(name, ParamSpec.Kind.FIXED, 0, 0, false, 0, false,
          List.of(scalar(field + ".value", node.get("value"))), when);
    }
    if (!node.has("low") || !node.has("high")) {
      throw new SpecException(field, "a range needs both 'low' and 'high', but got " + node);
    }
    double low = f.number("low", Double.NaN);
    double high = f.number("high", Double.NaN);
    boolean log = f.bool("log", false);
    double step = f.number("step", 0);
    if (node.has("step") && !node.get("step").isNull() && !(step > 0)) {
      throw SpecException.expected(field + ".step", "a step > 0 (values low, low + step, ... up to high)",
          fmt(step), "remove step for a continuous range");
    }
    String type = f.choice("type", null, Set.of("int", "float"));
    boolean integral = type == null ? node.get("low").isIntegralNumber() && node.get("high").isIntegralNumber()
        : type.equals("int");
    if (!(low <= high)) {
      throw new SpecException(field, "`low <= high` must hold, but got low=" + fmt(low) + ", high=" + fmt(high)
          + "; swap them");
    }
    if (log && low <= 0) {
      throw new SpecException(field, "a log-scaled range needs low > 0, but got low=" + fmt(low)
          + "; raise low or set log: false");
    }
    return new ParamSpec(name, ParamSpec.Kind.RANGE, low, high, log, step, integral, List.of(), when);
  }

  private static Condition condition(String field, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject() || node.size() != 1) {
      throw SpecException.expected(field, "a mapping with one parent parameter and its values, "
          + "e.g. {regParam: [0.01, 0.1]}", node);
    }
    Map.Entry<String, JsonNode> e = node.fields().next();
    List<Object> values = e.getValue().isArray() ? choices(field + "." + e.getKey(), e.getValue())
        : List.of(scalar(field + "." + e.getKey(), e.getValue()));
    return new Condition(e.getKey(), values);
  }

  private static List<Object> choices(String field, JsonNode array) {
    if (array.isEmpty()) {
      throw SpecException.expected(field, "at least one choice", "[]");
    }
    List<Object> out = new ArrayList<>();
    for (JsonNode v : array) {
      out.add(scalar(field, v));
    }
    if (out.stream().distinct().count() != out.size()) {
      throw SpecException.expected(field, "distinct choices", out);
    }
    return out;
  }

  private static Object scalar(String field, JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.intValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    throw SpecException.expected(field, "a number, string or boolean", v);
  }

  private static JobSpec.Evaluation evaluation(Fields f) {
    f.allowOnly("metric", "strategy", "folds", "group_column", "order_column", "validation_fraction", "evaluator",
        "also", "objectives", "constraints", "select");
    String metric = f.string("metric", null);
    ObjectivesSpec objectives = objectives(f, metric);
    if (!objectives.metrics().isEmpty()) {
      metric = objectives.metrics().get(0);
    }
    JobSpec.EvaluatorSpec evaluator = evaluator(f);
    if (evaluator != null && metric != null) {
      throw new SpecException("evaluation.metric", "names the metric, but evaluation.evaluator is given too; expected "
          + "one of the two (set the evaluator's metricName in evaluation.evaluator.params)");
    }
    List<String> also = f.stringList("also");
    if (also.stream().distinct().count() != also.size()) {
      throw SpecException.expected("evaluation.also", "distinct metric names", also);
    }
    String strategy = f.choice("strategy", null, STRATEGIES);
    int folds = f.integer("folds", 3);
    if (folds < 2 && !"holdout".equals(strategy)) {
      throw SpecException.expected("evaluation.folds", Expected.FOLDS + " "
          + "(use strategy: holdout for a single split)", folds);
    }
    String group = f.string("group_column", null);
    String order = f.string("order_column", null);
    if ("group".equals(strategy) && group == null) {
      throw new SpecException("evaluation.group_column", "strategy 'group' needs the column that holds the groups, "
          + "but got nothing");
    }
    if ("time".equals(strategy) && order == null) {
      throw new SpecException("evaluation.order_column", "strategy 'time' needs the column that orders the rows, "
          + "but got nothing");
    }
    double validation = f.number("validation_fraction", 0.2);
    if (!(validation > 0 && validation < 1)) {
      throw SpecException.expected("evaluation.validation_fraction", "a fraction in (0, 1)", validation);
    }
    return new JobSpec.Evaluation(metric, strategy, folds, group, order, validation, evaluator, also, objectives);
  }

  /** {@code evaluation.objectives}, {@code constraints} and {@code select}; metric names are checked later, against the task. */
  private static ObjectivesSpec objectives(Fields f, String metric) {
    List<String> metrics = new ArrayList<>();
    for (Fields o : f.list("objectives")) {
      o.allowOnly("metric");
      String m = o.requiredString("metric");
      if (metrics.contains(m)) {
        throw SpecException.expected(o.at("metric"), "a metric not already an objective", m);
      }
      metrics.add(m);
    }
    if (metric != null && !metrics.isEmpty() && !metric.equals(metrics.get(0))) {
      throw new SpecException("evaluation.metric", "is '" + metric + "', but the first of evaluation.objectives is '"
          + metrics.get(0) + "'; expected the two to agree (the first objective is the study's metric), or no "
          + "evaluation.metric");
    }
    if (f.node.hasNonNull("evaluator") && !metrics.isEmpty()) {
      throw new SpecException("evaluation.objectives", "names the metrics, but evaluation.evaluator is given too; "
          + "expected one of the two");
    }
    List<ParetoGoals.Bound> constraints = new ArrayList<>();
    for (Fields c : f.list("constraints")) {
      c.allowOnly("metric", "min", "max");
      constraints.add(bound(c, c.requiredString("metric")));
    }
    ParetoGoals.Select select = null;
    if (f.node.hasNonNull("select")) {
      Fields s = f.object("select", true);
      s.allowOnly("maximize", "minimize", "subject_to");
      String max = s.string("maximize", null);
      String min = s.string("minimize", null);
      if ((max == null) == (min == null)) {
        throw SpecException.expected(s.path, "exactly one of maximize: <metric> or minimize: <metric>",
            s.node.toString());
      }
      List<ParetoGoals.Bound> subjectTo = new ArrayList<>();
      Fields limits = s.object("subject_to", false);
      limits.node.fieldNames().forEachRemaining(name -> {
        Fields b = limits.object(name, true);
        b.allowOnly("min", "max");
        subjectTo.add(bound(b, name));
      });
      select = new ParetoGoals.Select(max != null ? max : min, max != null, subjectTo);
    }
    return new ObjectivesSpec(metrics, constraints, select);
  }

  /** {@code {min: a, max: b}} at {@code f}: at least one, {@code min <= max}. */
  private static ParetoGoals.Bound bound(Fields f, String metric) {
    Double min = f.node.hasNonNull("min") ? f.number("min", Double.NaN) : null;
    Double max = f.node.hasNonNull("max") ? f.number("max", Double.NaN) : null;
    if (min == null && max == null) {
      throw SpecException.expected(f.path, "a bound {min: <number>} or {max: <number>} on '" + metric + "'",
          f.node.toString());
    }
    if (min != null && max != null && !(min <= max)) {
      throw SpecException.expected(f.at("min"), "min <= max (" + fmt(max) + ") for '" + metric + "'", fmt(min));
    }
    return new ParetoGoals.Bound(metric, min, max);
  }

  /** {@code evaluation.evaluator: {class: <evaluator>, params: {...}}}, or null when absent. */
  private static JobSpec.EvaluatorSpec evaluator(Fields evaluation) {
    if (!evaluation.node.hasNonNull("evaluator")) {
      return null;
    }
    Fields f = evaluation.object("evaluator", false);
    f.allowOnly("class", "params");
    String className = f.requiredString("class");
    Map<String, Object> params = new LinkedHashMap<>();
    f.object("params", false).node.fields().forEachRemaining(
        e -> params.put(e.getKey(), stageValue("evaluation.evaluator.params." + e.getKey(), e.getValue())));
    return new JobSpec.EvaluatorSpec(className, params);
  }

  private static JobSpec.Search search(Fields f, List<ParamSpec> space, boolean severalObjectives) {
    f.allowOnly("algorithm", "trials", "batch_size", "parallelism", "seed", "timeout", "target", "patience",
        "options", "warm_start", "pruning", "scheduler", "fused_fits");
    String algorithm = f.string("algorithm", Optimizers.DEFAULT);
    if (!Optimizers.isKnown(algorithm)) {
      throw SpecException.unknown("search.algorithm", "algorithm", algorithm, Optimizers.names());
    }
    int trials = f.integer("trials", 20);
    if (trials < 1) {
      throw SpecException.expected("search.trials", Expected.TRIALS, trials);
    }
    int batch = f.integer("batch_size", 8);
    if (batch < 1) {
      throw SpecException.expected("search.batch_size", Expected.BATCH_SIZE, batch);
    }
    int parallelism = f.integer("parallelism", 0);
    if (parallelism < 0) {
      throw SpecException.expected("search.parallelism", Expected.PARALLELISM, parallelism);
    }
    long seed = (long) f.number("seed", 42);
    Duration timeout = null;
    JsonNode t = f.node.get("timeout");
    if (t != null && !t.isNull()) {
      timeout = duration("search.timeout", t);
    }
    double target = f.number("target", Double.NaN);
    int patience = f.integer("patience", 0);
    if (patience < 0) {
      throw SpecException.expected("search.patience", Expected.PATIENCE,
          patience);
    }
    Map<String, Object> options = new LinkedHashMap<>();
    f.object("options", false).node.fields().forEachRemaining(
        e -> options.put(e.getKey(), scalar("search.options." + e.getKey(), e.getValue())));
    SearchOptions.check(algorithm, options);
    List<String> warmStart = new ArrayList<>();
    JsonNode w = f.node.get("warm_start");
    if (w != null && w.isTextual() && w.textValue().equals("auto")) {
      warmStart.addAll(JobSpec.Search.AUTO);
    } else if (w != null && !w.isNull()) {
      if (!w.isArray()) {
        throw SpecException.expected("search.warm_start", "a list of study names, or auto", w);
      }
      for (JsonNode n : w) {
        if (!n.isTextual() || !STUDY_NAME.matcher(n.textValue()).matches()) {
          throw SpecException.expected("search.warm_start", "study names (letters, digits, '_', '-' or '.')", n);
        }
        warmStart.add(n.textValue());
      }
    }
    return new JobSpec.Search(algorithm, trials, batch, parallelism, seed, timeout,
        Double.isNaN(target) ? null : target, patience, options, warmStart, pruning(f, algorithm, severalObjectives),
        schedule(f.object("scheduler", false), space), f.bool("fused_fits", true));
  }

  /**
   * {@code search.algorithm: pbt} trains a population whose members continue from their
   * weights, step after step: only a single multilayer perceptron can (see docs/optimizers.md),
   * the step's iterations are {@code search.options.step_iterations} (so {@code maxIter} is not
   * searched), every tuned parameter is the estimator's (a tuned stage before it would change
   * the inputs the weights were trained on), every generation trains the whole population,
   * and folds are neither raced nor scheduled.
   */
  private static void checkPopulation(JobSpec.Search search, JsonNode node, List<StageSpec> estimators,
      List<ParamSpec> space) {
    if (!PbtAlgorithm.NAME.equals(search.algorithm())) {
      return;
    }
    // Compared by short name, so the full class name of MLlib's perceptron passes as well.
    if (estimators.size() != 1 || !(estimators.get(0).stage().equals(PbtAlgorithm.ESTIMATOR)
        || StageSpec.shortName(estimators.get(0).stage()).equals(PbtAlgorithm.ESTIMATOR + "_classifier"))) {
      throw SpecException.expected("estimator", "an estimator that continues training from its weights for "
          + "search.algorithm pbt: " + PbtAlgorithm.ESTIMATOR, estimators.size() == 1 ? estimators.get(0).stage()
          : estimators.stream().map(StageSpec::stage).toList());
    }
    String own = estimators.get(0).name() + ".";
    for (ParamSpec p : space) {
      String param = p.name().startsWith(own) ? p.name().substring(own.length()) : p.name();
      if (param.contains(".")) {
        throw SpecException.expected(p.field(), "only the estimator's parameters in the space of a pbt study (a "
            + "tuned stage before it would change the inputs its weights were trained on)", p.name());
      }
      if (param.equals("maxIter")) {
        throw SpecException.expected(p.field(), "no maxIter in the space of a pbt study: each generation trains "
            + "search.options.step_iterations iterations", p.name(), "set search.options.step_iterations instead");
      }
    }
    int size = Population.Settings.of(search.options()).size();
    if (search.trials() % size != 0 || search.trials() < 2 * size) {
      throw SpecException.expected("search.trials", "a multiple of search.options.population (" + size + ") of at "
          + "least two generations for pbt: each generation trains every member one step", search.trials());
    }
    if (node != null && node.hasNonNull("pruning") && search.pruning().enabled()) {
      throw SpecException.expected("search.pruning", "false for pbt (every member trains every step)", true);
    }
    if (!search.schedule().isNone()) {
      throw SpecException.expected("search.scheduler.type", "none for pbt (the population is its own schedule)",
          search.schedule().type());
    }
  }

  /** Whether a study races its trials when it does not say: model-based search of one objective (see below). */
  public static boolean pruningByDefault(String algorithm, boolean severalObjectives) {
    return Optimizers.isModelBased(algorithm) && !severalObjectives;
  }

  /**
   * {@code pruning: true|false} or {@code {enabled, confidence}}; on by default for model-based
   * search with one objective. Racing compares the first objective only, so with several it
   * would stop trials that another objective puts on the front: there it is off unless asked for.
   */
  private static JobSpec.Pruning pruning(Fields search, String algorithm, boolean severalObjectives) {
    boolean byDefault = pruningByDefault(algorithm, severalObjectives);
    JsonNode p = search.node.get("pruning");
    if (p == null || p.isNull()) {
      return new JobSpec.Pruning(byDefault, DEFAULT_PRUNING_CONFIDENCE);
    }
    if (p.isBoolean()) {
      return new JobSpec.Pruning(p.booleanValue(), DEFAULT_PRUNING_CONFIDENCE);
    }
    Fields f = search.object("pruning", false);
    f.allowOnly("enabled", "confidence");
    boolean enabled = f.bool("enabled", true);
    double confidence = f.number("confidence", DEFAULT_PRUNING_CONFIDENCE);
    if (!(confidence > 0.5 && confidence < 1)) {
      throw SpecException.expected("search.pruning.confidence", Expected.PRUNING_CONFIDENCE,
          fmt(confidence));
    }
    return new JobSpec.Pruning(enabled, confidence);
  }

  private static JobSpec.Schedule schedule(Fields f, List<ParamSpec> space) {
    f.allowOnly("type", "eta", "min_budget", "resource");
    String type = f.choice("type", "none", SCHEDULES);
    double eta = f.number("eta", 3);
    if (!(eta >= 2)) {
      throw SpecException.expected("search.scheduler.eta", Expected.SCHEDULER_ETA, fmt(eta));
    }
    double minBudget = f.number("min_budget", 1 / (eta * eta));
    if (!(minBudget > 0 && minBudget * eta <= 1 + 1e-9)) {
      throw SpecException.expected("search.scheduler.min_budget", "a fraction in (0, 1/eta] = (0, "
          + fmt(1 / eta) + "] so there are at least two budgets", fmt(minBudget));
    }
    String resource = f.string("resource", "rows");
    if (!resource.equals("rows")) {
      ParamSpec p = space.stream().filter(s -> s.name().equals(resource)).findFirst().orElse(null);
      boolean iterations = p != null && p.kind() == ParamSpec.Kind.FIXED && p.values().size() == 1
          && p.values().get(0) instanceof Number n && n.doubleValue() >= 1 && n.doubleValue() == Math.rint(n.doubleValue());
      if (!iterations) {
        throw SpecException.expected("search.scheduler.resource", "'rows' or the name of an iteration-like "
            + "parameter given a fixed whole value in space (such as maxIter: 100), the full budget", resource);
      }
    }
    return new JobSpec.Schedule(type, eta, minBudget, resource);
  }

  static Duration duration(String field, JsonNode t) {
    if (t.isNumber()) {
      return Duration.ofMillis((long) (t.doubleValue() * 1000));
    }
    Matcher m = DURATION.matcher(t.asText().trim());
    if (!m.matches()) {
      throw SpecException.expected(field, "a duration such as 90s, 30m or 2h", t.asText());
    }
    double v = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double ms = switchUnit(unit) * v;
    return Duration.ofMillis((long) ms);
  }

  private static double switchUnit(String unit) {
    if (unit.equals("ms")) {
      return 1;
    }
    if (unit.equals("m")) {
      return 60_000;
    }
    if (unit.equals("h")) {
      return 3_600_000;
    }
    return 1000;
  }

  private static JobSpec.Store store(Fields f) {
    f.allowOnly("path", "database");
    return new JobSpec.Store(f.string("path", DEFAULT_STORE), f.string("database", null));
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  /** Typed access to the fields of one mapping, each error naming the full field path. */
  private static final class Fields {
    final String path;
    final ObjectNode node;

    Fields(String path, ObjectNode node) {
      this.path = path;
      this.node = node;
    }

    String at(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    void allowOnly(String... keys) {
      List<String> allowed = List.of(keys);
      node.fieldNames().forEachRemaining(k -> {
        if (!allowed.contains(k)) {
          throw SpecException.unknown(at(k), "field", k, allowed);
        }
      });
    }

    Fields object(String key, boolean required) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        if (required) {
          throw new SpecException(at(key), "is missing; expected a mapping");
        }
        return new Fields(at(key), JsonNodeFactory.instance.objectNode());
      }
      if (!v.isObject()) {
        throw SpecException.expected(at(key), "a mapping", v);
      }
      return new Fields(at(key), (ObjectNode) v);
    }

    String requiredString(String key) {
      String v = string(key, null);
      if (v == null || v.isBlank()) {
        throw new SpecException(at(key), "is missing; expected a non-empty string");
      }
      return v;
    }

    String string(String key, String fallback) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return fallback;
      }
      if (!v.isValueNode() || v.isBoolean()) {
        throw SpecException.expected(at(key), "a string", v);
      }
      return v.asText();
    }

    String choice(String key, String fallback, Set<String> allowed) {
      String v = string(key, fallback);
      if (v != null && !allowed.contains(v)) {
        throw SpecException.unknown(at(key), key, v, sorted(allowed));
      }
      return v;
    }

    /** The mappings of the list at {@code key} (empty when absent), each addressed as {@code key[i]}. */
    List<Fields> list(String key) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return List.of();
      }
      if (!v.isArray() || v.isEmpty()) {
        throw SpecException.expected(at(key), "a non-empty list of mappings", v);
      }
      List<Fields> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        if (!v.get(i).isObject()) {
          throw SpecException.expected(at(key) + "[" + i + "]", "a mapping", v.get(i));
        }
        out.add(new Fields(at(key) + "[" + i + "]", (ObjectNode) v.get(i)));
      }
      return out;
    }

    List<String> stringList(String key) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return List.of();
      }
      if (!v.isArray()) {
        throw SpecException.expected(at(key), "a list of column names", v);
      }
      List<String> out = new ArrayList<>();
      v.forEach(x -> {
        if (!x.isTextual()) {
          throw SpecException.expected(at(key), "column names as strings", x);
        }
        out.add(x.textValue());
      });
      return out;
    }

    double number(String key, double fallback) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return fallback;
      }
      if (v.isNumber()) {
        return v.doubleValue();
      }
      if (v.isTextual()) {
        try {
          return Double.parseDouble(v.textValue().trim());
        } catch (NumberFormatException e) {
          // fall through to the message
        }
      }
      throw SpecException.expected(at(key), "a number", v.asText());
    }

    int integer(String key, int fallback) {
      double d = number(key, fallback);
      if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
        throw SpecException.expected(at(key), "a whole number", fmt(d));
      }
      return (int) d;
    }

    boolean bool(String key, boolean fallback) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return fallback;
      }
      if (!v.isBoolean()) {
        throw SpecException.expected(at(key), "true or false", v.asText());
      }
      return v.booleanValue();
    }
  }
}
