package io.tunelake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelake.space.Categorical;
import io.tunelake.space.Domain;
import io.tunelake.space.Fixed;
import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;

/**
 * How a {@link TuneLakeValidator} and a {@link TunedModel} are saved, the way MLlib saves its
 * own stages: a one-line JSON {@code metadata} file beside each stage saved by its own writer
 * ({@code estimator}, {@code evaluator}, {@code bestModel}). Params of the tuned stages are
 * stored by stage uid and name, and found again on the loaded stages.
 */
final class ApiPersistence {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiPersistence() {}

  static final class ValidatorWriter extends MLWriter {
    private final TuneLakeValidator validator;

    ValidatorWriter(TuneLakeValidator validator) {
      this.validator = validator;
    }

    @Override
    public void saveImpl(String path) {
      ObjectNode meta = header(validator, sparkSession());
      ObjectNode params = meta.putObject("params");
      for (Param<?> p : validator.simpleParams()) {
        if (validator.isSet(p)) {
          params.set(p.name(), parse(encode(p, validator.getOrDefault(p))));
        }
      }
      ParamSpace space = validator.getSearchSpace();
      if (space != null) {
        meta.set("searchSpace", spaceJson(space));
      }
      ParamMap[] grid = validator.getEstimatorParamMaps();
      if (grid != null) {
        ArrayNode maps = meta.putArray("estimatorParamMaps");
        for (ParamMap m : grid) {
          maps.add(paramMapJson(m));
        }
      }
      writeMetadata(sparkSession(), path, meta);
      saveStage(validator.getEstimator(), "estimator", path + "/estimator", shouldOverwrite());
      saveStage(validator.getEvaluator(), "evaluator", path + "/evaluator", shouldOverwrite());
    }
  }

  static final class ValidatorReader extends MLReader<TuneLakeValidator> {
    @Override
    public TuneLakeValidator load(String path) {
      JsonNode meta = readMetadata(sparkSession(), path);
      TuneLakeValidator v = new TuneLakeValidator(meta.get("uid").asText());
      for (Param<?> p : v.simpleParams()) {
        JsonNode value = meta.path("params").get(p.name());
        if (value != null) {
          setDecoded(v, p, value.toString());
        }
      }
      Estimator<?> estimator = loadStage(sparkSession(), path + "/estimator");
      v.setEstimator(estimator);
      v.setEvaluator(loadStage(sparkSession(), path + "/evaluator"));
      Map<String, Params> stages = byUid(TuneLakeValidator.stages(estimator));
      if (meta.has("searchSpace")) {
        v.setSearchSpace(spaceFrom(meta.get("searchSpace"), stages));
      }
      if (meta.has("estimatorParamMaps")) {
        List<ParamMap> maps = new ArrayList<>();
        meta.get("estimatorParamMaps").forEach(m -> maps.add(paramMapFrom(m, stages)));
        v.setEstimatorParamMaps(maps.toArray(new ParamMap[0]));
      }
      return v;
    }
  }

  static final class ModelWriter extends MLWriter {
    private final TunedModel model;

    ModelWriter(TunedModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      ObjectNode meta = header(model, sparkSession());
      TunedModel.Summary s = model.summary();
      meta.put("study", s.study());
      meta.put("trialsPath", s.trialsPath());
      meta.put("metricName", s.metricName());
      meta.put("largerIsBetter", s.largerIsBetter());
      meta.put("bestMetric", model.bestMetric());
      s.objectives().forEach(meta.putArray("objectives")::add);
      meta.put("bestTrialId", s.bestTrialId());
      s.front().forEach(meta.putArray("front")::add);
      meta.put("whyBest", s.whyBest());
      s.warmStartStudies().forEach(meta.putArray("warmStartStudies")::add);
      ArrayNode avg = meta.putArray("avgMetrics");
      for (double d : model.avgMetrics()) {
        avg.add(d);
      }
      meta.set("bestParams", paramMapJson(model.bestParams()));
      writeMetadata(sparkSession(), path, meta);
      saveStage(model.bestModel(), "bestModel", path + "/bestModel", shouldOverwrite());
    }
  }

  static final class ModelReader extends MLReader<TunedModel> {
    @Override
    public TunedModel load(String path) {
      JsonNode meta = readMetadata(sparkSession(), path);
      Model<?> best = loadStage(sparkSession(), path + "/bestModel");
      List<Params> stages = new ArrayList<>();
      if (best instanceof PipelineModel pm) {
        stages.addAll(List.of(pm.stages()));
      }
      stages.add(best);
      Map<String, Params> byUid = new LinkedHashMap<>();
      stages.forEach(st -> byUid.put(st.uid(), st));
      double[] avg = new double[meta.path("avgMetrics").size()];
      for (int i = 0; i < avg.length; i++) {
        avg[i] = meta.get("avgMetrics").get(i).asDouble();
      }
      // Models saved before the objectives were kept read as studies of their metric alone.
      List<String> objectives = new ArrayList<>();
      meta.path("objectives").forEach(o -> objectives.add(o.asText()));
      if (objectives.isEmpty()) {
        objectives.add(meta.get("metricName").asText());
      }
      List<Integer> front = new ArrayList<>();
      meta.path("front").forEach(t -> front.add(t.asInt()));
      List<String> warm = new ArrayList<>();
      meta.path("warmStartStudies").forEach(w -> warm.add(w.asText()));
      TunedModel.Summary summary = new TunedModel.Summary(meta.get("study").asText(),
          meta.get("trialsPath").asText(), meta.get("metricName").asText(), meta.get("largerIsBetter").asBoolean(),
          objectives, meta.path("bestTrialId").asInt(0), front, meta.path("whyBest").asText(""), warm);
      return new TunedModel(meta.get("uid").asText(), best, paramMapFrom(meta.get("bestParams"), byUid),
          meta.get("bestMetric").asDouble(), avg, summary);
    }
  }

  // --- Stages -----------------------------------------------------------------------------------

  private static void saveStage(Object stage, String setting, String path, boolean overwrite) {
    if (!(stage instanceof MLWritable w)) {
      throw TuneLakeErrors.mismatch(setting, stage == null ? null : stage.getClass().getName(),
          "cannot be saved: it is not MLWritable", "make it MLWritable (a Java class can implement "
              + "DefaultParamsWritable) or do not save this object");
    }
    try {
      MLWriter writer = w.write();
      if (overwrite) {
        writer.overwrite();
      }
      writer.save(path);
    } catch (IOException e) {
      throw new IllegalStateException("saving the " + setting + " to " + path + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The stage saved at {@code path}: through its class's static {@code load(String)} when it has
   * one, else (a user's class with MLlib's default writer) made from its uid and given its params.
   */
  @SuppressWarnings("unchecked")
  static <T> T loadStage(SparkSession spark, String path) {
    JsonNode meta = readMetadata(spark, path);
    String className = meta.get("class").asText();
    try {
      Class<?> cls = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
      Method load = null;
      try {
        load = cls.getMethod("load", String.class);
      } catch (NoSuchMethodException e) {
        // No static reader: the stage is rebuilt from its default-params metadata below.
      }
      if (load != null && java.lang.reflect.Modifier.isStatic(load.getModifiers())) {
        return (T) load.invoke(null, path);
      }
      Params stage = (Params) cls.getConstructor(String.class).newInstance(meta.get("uid").asText());
      meta.path("paramMap").fields().forEachRemaining(e ->
          setDecoded(stage, stage.getParam(e.getKey()), e.getValue().toString()));
      return (T) stage;
    } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException("cannot load the stage saved at " + path + " (class " + className + "): "
          + e, e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("loading the stage saved at " + path + " failed: " + e.getCause(),
          e.getCause());
    }
  }

  // --- Params as JSON ---------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private static String encode(Param<?> p, Object value) {
    return ((Param<Object>) p).jsonEncode(value);
  }

  @SuppressWarnings("unchecked")
  private static void setDecoded(Params owner, Param<?> p, String json) {
    Param<Object> param = (Param<Object>) p;
    owner.set(param, param.jsonDecode(json));
  }

  private static ArrayNode paramMapJson(ParamMap map) {
    ArrayNode out = JSON.createArrayNode();
    for (ParamPair<?> pair : map.toList()) {
      ObjectNode o = out.addObject();
      o.put("parent", pair.param().parent());
      o.put("name", pair.param().name());
      o.set("value", parse(encode(pair.param(), pair.value())));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static ParamMap paramMapFrom(JsonNode json, Map<String, Params> stages) {
    ParamMap out = new ParamMap();
    for (JsonNode o : json) {
      Params stage = stages.get(o.get("parent").asText());
      String name = o.get("name").asText();
      if (stage == null || !stage.hasParam(name)) {
        continue;
      }
      Param<Object> p = (Param<Object>) stage.getParam(name);
      out.put(p, p.jsonDecode(o.get("value").toString()));
    }
    return out;
  }

  private static ArrayNode spaceJson(ParamSpace space) {
    ArrayNode out = JSON.createArrayNode();
    for (ParamSpace.Entry e : space.entries()) {
      ObjectNode o = out.addObject();
      o.put("parent", e.param().parent());
      o.put("name", e.param().name());
      Domain d = e.domain();
      if (d instanceof FloatRange r) {
        o.put("kind", "float").put("low", r.low()).put("high", r.high()).put("log", r.log());
      } else if (d instanceof IntRange r) {
        o.put("kind", "int").put("low", r.low()).put("high", r.high()).put("log", r.log());
      } else if (d instanceof Categorical c) {
        o.put("kind", "choice").set("values", JSON.valueToTree(c.choices()));
      } else {
        o.put("kind", "fixed").set("value", JSON.valueToTree(((Fixed) d).value()));
      }
    }
    for (ParamSpace.When w : space.conditions()) {
      for (JsonNode node : out) {
        if (node.get("parent").asText().equals(w.param().parent()) && node.get("name").asText()
            .equals(w.param().name())) {
          ObjectNode when = ((ObjectNode) node).putObject("when");
          when.put("parent", w.parent().parent()).put("name", w.parent().name());
          when.set("values", JSON.valueToTree(w.values()));
        }
      }
    }
    return out;
  }

  private static ParamSpace spaceFrom(JsonNode json, Map<String, Params> stages) {
    ParamSpace.Builder b = ParamSpace.builder();
    for (JsonNode o : json) {
      Param<?> p = paramOf(o, stages);
      switch (o.get("kind").asText()) {
        case "float":
          if (o.get("log").asBoolean()) {
            b.logUniform(p, o.get("low").asDouble(), o.get("high").asDouble());
          } else {
            b.uniform(p, o.get("low").asDouble(), o.get("high").asDouble());
          }
          break;
        case "int":
          if (o.get("log").asBoolean()) {
            b.logIntRange(p, o.get("low").asInt(), o.get("high").asInt());
          } else {
            b.intRange(p, o.get("low").asInt(), o.get("high").asInt());
          }
          break;
        case "choice":
          b.choice(p, values(o.get("values")));
          break;
        default:
          b.fixed(p, values(JSON.createArrayNode().add(o.get("value"))).get(0));
      }
    }
    for (JsonNode o : json) {
      if (o.has("when")) {
        b.when(paramOf(o, stages), paramOf(o.get("when"), stages), values(o.get("when").get("values")).toArray());
      }
    }
    return b.build();
  }

  private static Param<?> paramOf(JsonNode o, Map<String, Params> stages) {
    Params stage = stages.get(o.get("parent").asText());
    if (stage == null) {
      throw new IllegalStateException("the saved space names stage " + o.get("parent").asText()
          + ", which the saved estimator does not have");
    }
    return stage.getParam(o.get("name").asText());
  }

  private static List<Object> values(JsonNode array) {
    List<Object> out = new ArrayList<>();
    for (JsonNode v : array) {
      out.add(v.isTextual() ? v.asText() : v.isBoolean() ? v.asBoolean() : v.isIntegralNumber() ? v.asLong()
          : v.asDouble());
    }
    return out;
  }

  private static Map<String, Params> byUid(List<? extends Params> stages) {
    Map<String, Params> out = new LinkedHashMap<>();
    stages.forEach(s -> out.put(s.uid(), s));
    return out;
  }

  // --- Metadata files ---------------------------------------------------------------------------

  private static ObjectNode header(Params owner, SparkSession spark) {
    ObjectNode meta = JSON.createObjectNode();
    meta.put("class", owner.getClass().getName());
    meta.put("uid", owner.uid());
    meta.put("sparkVersion", spark.version());
    meta.put("timestamp", System.currentTimeMillis());
    return meta;
  }

  private static void writeMetadata(SparkSession spark, String path, JsonNode meta) {
    JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(meta.toString()), 1)
        .saveAsTextFile(path + "/metadata");
  }

  static JsonNode readMetadata(SparkSession spark, String path) {
    String line = JavaSparkContext.fromSparkContext(spark.sparkContext()).textFile(path + "/metadata", 1).first();
    return parse(line);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not JSON: " + json, e);
    }
  }
}
