package io.tunelake.spark;

import io.tunelake.spec.JobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.feature.MinMaxScaler;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Builds a study's MLlib pipeline in two parts: the featurization stages, which have no tuned
 * parameter and are fitted once per fold, and the estimator, configured per trial from its
 * assignment. Together they make the saved {@code PipelineModel}.
 */
public final class SparkPipelines {
  /** The assembled (and scaled) feature vector column. */
  public static final String FEATURES = "tl_features";
  private static final String RAW = "tl_features_raw";

  private SparkPipelines() {}

  /** The untuned stages: index (and one-hot encode) strings, assemble, optionally scale. */
  public static Pipeline featurizer(SparkStudyPlan plan) {
    List<PipelineStage> stages = new ArrayList<>();
    if (plan.task() == Task.RECOMMENDATION) {
      return new Pipeline().setStages(new PipelineStage[0]);
    }
    SparkStudyPlan.Columns c = plan.columns();
    JobSpec.Featurize f = plan.spec().featurize();
    List<String> assembled = new ArrayList<>(c.numeric());
    if (!c.strings().isEmpty()) {
      String[] in = c.strings().toArray(new String[0]);
      String[] indexed = c.strings().stream().map(s -> s + "_tl_idx").toArray(String[]::new);
      stages.add(new StringIndexer().setInputCols(in).setOutputCols(indexed).setHandleInvalid("keep"));
      if (f.encoding().equals("onehot")) {
        String[] encoded = c.strings().stream().map(s -> s + "_tl_ohe").toArray(String[]::new);
        stages.add(new OneHotEncoder().setInputCols(indexed).setOutputCols(encoded));
        assembled.addAll(List.of(encoded));
      } else {
        assembled.addAll(List.of(indexed));
      }
    }
    assembled.addAll(c.vectors());
    boolean scaled = !f.scaling().equals("none");
    stages.add(new VectorAssembler().setInputCols(assembled.toArray(new String[0]))
        .setOutputCol(scaled ? RAW : FEATURES));
    if (f.scaling().equals("standard")) {
      stages.add(new StandardScaler().setInputCol(RAW).setOutputCol(FEATURES).setWithMean(false).setWithStd(true));
    } else if (f.scaling().equals("minmax")) {
      stages.add(new MinMaxScaler().setInputCol(RAW).setOutputCol(FEATURES));
    }
    return new Pipeline().setStages(stages.toArray(new PipelineStage[0]));
  }

  /** The columns a featurized fold keeps for fitting and scoring. */
  static List<String> fittedColumns(SparkStudyPlan plan) {
    List<String> out = new ArrayList<>();
    if (plan.task() == Task.RECOMMENDATION) {
      out.addAll(plan.columns().numeric());
    } else {
      out.add(FEATURES);
    }
    if (plan.columns().label() != null) {
      out.add(plan.columns().label());
    }
    return out;
  }

  /** {@code transformed} (the featurizer's output) narrowed to the {@link #fittedColumns}. */
  static Dataset<Row> keepFitted(SparkStudyPlan plan, Dataset<Row> transformed) {
    return transformed.select(fittedColumns(plan).stream().map(Column::new).toArray(Column[]::new));
  }

  /** The width of the feature vector of featurized rows, from the assembler's metadata. */
  public static int featureCount(Dataset<Row> featurized) {
    if (!List.of(featurized.columns()).contains(FEATURES)) {
      return 0;
    }
    return AttributeGroup.fromStructField(featurized.schema().apply(FEATURES)).size();
  }

  /**
   * The estimator of {@code plan} configured with {@code params}, wired to the featurized
   * columns; {@code featureCount} sizes a perceptron's input layer.
   */
  @SuppressWarnings("unchecked")
  public static Estimator<?> estimator(SparkStudyPlan plan, Map<String, Object> params, int featureCount, long seed) {
    Estimator<?> est = SparkEstimators.create(plan.spec().estimator());
    ParamMap map = new ParamMap();
    String label = plan.columns().label();
    if (est instanceof ALS) {
      List<String> ids = plan.columns().numeric();
      put(map, est, "userCol", ids.get(0));
      put(map, est, "itemCol", ids.get(1));
      put(map, est, "ratingCol", label);
      // Users or items that only occur in a validation fold would otherwise score NaN.
      put(map, est, "coldStartStrategy", "drop");
    } else {
      put(map, est, "featuresCol", FEATURES);
      if (label != null && est.hasParam("labelCol")) {
        put(map, est, "labelCol", label);
      }
    }
    if (est.hasParam("seed")) {
      put(map, est, "seed", seed);
    }
    for (Map.Entry<String, Object> e : params.entrySet()) {
      String name = e.getKey();
      if (name.equals(SparkEstimators.HIDDEN_LAYERS) || name.startsWith(SparkEstimators.HIDDEN_WIDTH)) {
        continue;
      }
      Param<Object> p = (Param<Object>) est.getParam(name);
      map.put(p, SparkEstimators.toParamValue(p, e.getValue()));
    }
    if (est instanceof MultilayerPerceptronClassifier) {
      map.put(((MultilayerPerceptronClassifier) est).layers(), layers(params, featureCount, plan.numClasses()));
    }
    return (Estimator<?>) est.copy(map);
  }

  /**
   * A perceptron's {@code layers}: the input width, the hidden widths the assignment asks for
   * ({@code hiddenLayers} of {@code hiddenWidth1..}), and the class count. Without architecture
   * parameters there is one hidden layer halfway between input and output width.
   */
  static int[] layers(Map<String, Object> params, int inputs, int classes) {
    List<Integer> hidden = new ArrayList<>();
    Object count = params.get(SparkEstimators.HIDDEN_LAYERS);
    if (count == null) {
      Object w1 = params.get(SparkEstimators.HIDDEN_WIDTH + 1);
      hidden.add(w1 != null ? ((Number) w1).intValue() : Math.max(2, Math.min(64, (inputs + classes) / 2)));
    } else {
      for (int i = 1; i <= ((Number) count).intValue(); i++) {
        Object w = params.get(SparkEstimators.HIDDEN_WIDTH + i);
        hidden.add(w != null ? ((Number) w).intValue() : Math.max(2, Math.min(64, (inputs + classes) / 2)));
      }
    }
    int[] layers = new int[hidden.size() + 2];
    layers[0] = inputs;
    for (int i = 0; i < hidden.size(); i++) {
      layers[i + 1] = hidden.get(i);
    }
    layers[layers.length - 1] = Math.max(2, classes);
    return layers;
  }

  @SuppressWarnings("unchecked")
  private static void put(ParamMap map, Estimator<?> est, String name, Object value) {
    map.put((Param<Object>) est.getParam(name), value);
  }
}
