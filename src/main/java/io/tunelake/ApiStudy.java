package io.tunelake;

import io.tunelake.optimize.TrialStatus;
import io.tunelake.space.Domain;
import io.tunelake.spark.SparkStages;
import io.tunelake.spark.SparkStudy;
import io.tunelake.spark.SparkStudyData;
import io.tunelake.spark.SparkStudyPlan;
import io.tunelake.spark.StudyPipeline;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.JobSpecParser;
import io.tunelake.spec.ObjectivesSpec;
import io.tunelake.study.ParetoGoals;
import io.tunelake.study.StopSignal;
import io.tunelake.study.StudyDrift;
import io.tunelake.study.Trial;
import io.tunelake.study.WarmStart;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The API's way into the engine: a validator's settings and the user's rows become the same
 * settings and plan a job spec becomes, run by {@link SparkStudy}, and the study's best trial a
 * {@link TunedModel}.
 */
final class ApiStudy {
  private static final String SEP = ": ";

  private ApiStudy() {}

  static TunedModel run(TuneLakeValidator validator, TuneLakeValidator.Settings s, Dataset<Row> data) {
    ParamSpace space = s.grid() != null ? gridSpace(s.grid()) : s.space();
    Map<Param<?>, StudyPipeline.When> conditions = new LinkedHashMap<>();
    for (ParamSpace.When w : space.conditions()) {
      conditions.put(w.param(), new StudyPipeline.When(w.parent(), w.values()));
    }
    StudyPipeline pipeline = StudyPipeline.of(s.estimator(), s.evaluator(), space.domains(), conditions);
    List<Param<?>> params = space.params();
    List<String> keys = pipeline.space().domains().stream().map(Domain::name).toList();
    Map<String, String> fields = fields(s, pipeline, data);
    JobSpec settings = settings(s, pipeline, data, fields);
    SparkStudyPlan plan = SparkStudyPlan.of(settings, pipeline, data);
    SparkStudy.Input input = new SparkStudy.Input(settings, data, null, plan,
        stored -> StudyDrift.changes(parse(stored), fields), "settings, fit again after setAcceptChanges(true)",
        "give it another name with setStudy(...)");
    SparkStudy.Result result = SparkStudy.run(data.sparkSession(), input, Clock.systemUTC(), s.acceptChanges(),
        new StopSignal());
    Trial best = result.outcome().best().orElseThrow();
    PipelineModel refitted = PipelineModel.load(result.study().modelPath());
    Model<?> bestModel = s.estimator() instanceof Pipeline ? refitted
        : (Model<?>) refitted.stages()[refitted.stages().length - 1];
    double[] avg = s.grid() == null ? new double[0] : avgMetrics(s.grid(), result.outcome().trials(), params, keys);
    ParetoGoals goals = result.outcome().goals();
    List<String> objectives = goals.objectives().stream().map(ParetoGoals.Goal::metric).toList();
    List<Integer> front = goals.isMulti()
        ? goals.front(result.outcome().trials()).stream().map(Trial::trialId).toList() : List.of();
    TunedModel.Summary summary = new TunedModel.Summary(s.study(), trialsPath(data.sparkSession(), settings),
        pipeline.metric(), s.evaluator().isLargerBetter(), objectives, best.trialId(), front,
        goals.why(best, result.outcome().trials()),
        result.warmStart().sources().stream().map(WarmStart.Source::study).toList());
    return new TunedModel(validator.uid(), bestModel, paramMap(best.params(), params, keys), best.stats().mean(),
        avg, summary);
  }

  /**
   * A {@code ParamGridBuilder} grid as a space of choices: each param's values in the order the
   * grid first sets them. Only a full product of them (what ParamGridBuilder builds) is a grid.
   */
  static ParamSpace gridSpace(ParamMap[] grid) {
    Map<Param<?>, List<Object>> values = new LinkedHashMap<>();
    for (ParamMap m : grid) {
      for (ParamPair<?> pair : m.toList()) {
        List<Object> vs = values.computeIfAbsent(pair.param(), p -> new ArrayList<>());
        if (!vs.contains(pair.value())) {
          vs.add(pair.value());
        }
      }
    }
    long product = 1;
    for (List<Object> vs : values.values()) {
      product *= vs.size();
    }
    for (ParamMap m : grid) {
      if (m.size() != values.size() || product != grid.length) {
        throw TuneLakeErrors.invalid("estimatorParamMaps", "a full grid in which every map sets the same params "
            + values.keySet().stream().map(Param::name).toList() + " (as ParamGridBuilder builds it)",
            grid.length + " maps for " + product + " combinations", "build the grid with ParamGridBuilder, or "
            + "describe the space with setSearchSpace");
      }
    }
    ParamSpace.Builder b = ParamSpace.builder();
    values.forEach((p, vs) -> b.choice(p, vs));
    return b.build();
  }

  /** The grid's mean metrics in the grid's order; NaN for a map whose trial did not complete. */
  private static double[] avgMetrics(ParamMap[] grid, List<Trial> trials, List<Param<?>> params, List<String> keys) {
    double[] out = new double[grid.length];
    for (int i = 0; i < grid.length; i++) {
      out[i] = Double.NaN;
      for (Trial t : trials) {
        if (t.status() == TrialStatus.COMPLETE && matches(grid[i], t.params(), params, keys)) {
          out[i] = t.stats().mean();
        }
      }
    }
    return out;
  }

  private static boolean matches(ParamMap map, Map<String, Object> trial, List<Param<?>> params, List<String> keys) {
    for (ParamPair<?> pair : map.toList()) {
      Object v = trial.get(keys.get(params.indexOf(pair.param())));
      if (!same(pair.value(), v)) {
        return false;
      }
    }
    return true;
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return Objects.equals(String.valueOf(a), String.valueOf(b));
  }

  /** A trial's assignment on the user's own Param objects. */
  @SuppressWarnings("unchecked")
  private static ParamMap paramMap(Map<String, Object> assignment, List<Param<?>> params, List<String> keys) {
    ParamMap out = new ParamMap();
    for (int i = 0; i < keys.size(); i++) {
      Object v = assignment.get(keys.get(i));
      if (v != null) {
        Param<Object> p = (Param<Object>) params.get(i);
        out.put(p, SparkStages.toParamValue(p, v));
      }
    }
    return out;
  }

  /** The settings a spec would hold for this study; the data is the user's DataFrame, nothing held out. */
  private static JobSpec settings(TuneLakeValidator.Settings s, StudyPipeline pipeline, Dataset<Row> data,
      Map<String, String> fields) {
    boolean foldCol = !s.foldCol().isEmpty();
    String strategy = foldCol ? io.tunelake.spark.SparkFolds.FOLD_COLUMN : s.strategy().isEmpty() ? null : s.strategy();
    String group = foldCol ? s.foldCol() : s.groupCol().isEmpty() ? null : s.groupCol();
    String order = s.orderCol().isEmpty() ? null : s.orderCol();
    String algorithm = s.grid() != null ? "grid" : s.algorithm();
    int trials = s.grid() != null ? s.grid().length : s.trials();
    ObjectivesSpec objectives = new ObjectivesSpec(s.objectives(),
        s.constraints().stream().map(MetricBound::toGoal).toList(), s.select() == null ? null : s.select().toGoal());
    boolean pruning = s.pruning() != null ? s.pruning() : JobSpecParser.pruningByDefault(algorithm, objectives.isMulti());
    double eta = s.schedulerEta();
    JobSpec.Data d = new JobSpec.Data(location(data), null, SparkStudyData.DATAFRAME, Map.of(), null, List.of(), 0.0, null);
    JobSpec.Evaluation e = new JobSpec.Evaluation(pipeline.metric(), strategy, s.numFolds(), group, order, 0.2, null,
        List.of(), objectives);
    JobSpec.Search search = new JobSpec.Search(algorithm, trials, s.batchSize(), s.parallelism(), s.seed(),
        s.timeoutSeconds() > 0 ? Duration.ofSeconds(s.timeoutSeconds()) : null,
        Double.isNaN(s.target()) ? null : s.target(), s.patience(), Map.of(),
        s.warmStartAuto() ? JobSpec.Search.AUTO : s.warmStart(),
        new JobSpec.Pruning(pruning, s.pruningConfidence()),
        new JobSpec.Schedule(s.scheduler(), eta, 1 / (eta * eta), "rows"), true);
    return new JobSpec(s.study(), d, new JobSpec.Featurize(null, null), List.of(), fields.get("estimator"), List.of(),
        List.of(), e, search, new JobSpec.Store(s.storePath(), s.database().isEmpty() ? null : s.database()),
        render(fields));
  }

  /**
   * What decides what a trial's score means, as {@code field → value} text: the pipeline's
   * stages, the space, the evaluator, the folds and the data's columns. Stage uids are left out:
   * the same program run again builds new ones.
   */
  static Map<String, String> fields(TuneLakeValidator.Settings s, StudyPipeline pipeline, Dataset<Row> data) {
    Map<String, String> f = new LinkedHashMap<>();
    List<String> stages = new ArrayList<>();
    for (PipelineStage st : TuneLakeValidator.stages(s.estimator())) {
      stages.add(st.getClass().getSimpleName());
    }
    f.put("estimator", s.estimator() instanceof Pipeline ? "Pipeline" + stages : stages.get(0));
    for (Domain d : pipeline.space().domains()) {
      f.put("space." + d.name(), d.toString());
    }
    f.put("evaluator", s.evaluator().getClass().getName() + " " + pipeline.metric());
    f.put("numFolds", String.valueOf(s.numFolds()));
    f.put("foldCol", s.foldCol());
    f.put("strategy", s.strategy());
    f.put("groupCol", s.groupCol());
    f.put("orderCol", s.orderCol());
    f.put("data.schema", data.schema().simpleString());
    return f;
  }

  private static String render(Map<String, String> fields) {
    StringBuilder sb = new StringBuilder();
    fields.forEach((k, v) -> sb.append(k).append(SEP).append(v.replace('\n', ' ')).append('\n'));
    return sb.toString();
  }

  private static Map<String, String> parse(String stored) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : stored.split("\n")) {
      int at = line.indexOf(SEP);
      if (at > 0) {
        out.put(line.substring(0, at), line.substring(at + SEP.length()));
      }
    }
    return out;
  }

  /** What the lineage can know of a DataFrame: the files it reads, else that it is in memory. */
  private static String location(Dataset<Row> data) {
    String[] files = data.inputFiles();
    if (files.length == 0) {
      return "DataFrame (no input files)";
    }
    return files.length == 1 ? files[0] : files[0] + " and " + (files.length - 1) + " more files";
  }

  private static String trialsPath(SparkSession spark, JobSpec settings) {
    return io.tunelake.delta.DeltaTrialStore.open(spark, settings.store().path(), settings.store().database(),
        Clock.systemUTC()).trialsPath();
  }
}
