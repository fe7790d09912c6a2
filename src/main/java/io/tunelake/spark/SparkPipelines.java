package io.tunelake.spark;

import io.tunelake.spec.JobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.attribute.AttributeGroup;
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
 * The spec side of a study's pipeline: the stages the {@code featurize} block stands for, the
 * estimator wired to the features and the label, and the columns a fitted prefix keeps.
 */
public final class SparkPipelines {
  /** The assembled (and scaled) feature vector column of the {@code featurize} stages. */
  public static final String FEATURES = "tl_features";
  private static final String RAW = "tl_features_raw";

  private SparkPipelines() {}

  /**
   * The stages {@code featurize} stands for on {@code columns}: index (and one-hot encode)
   * strings, assemble, optionally scale; none for ALS, which reads its id columns directly.
   */
  static List<StudyPipeline.Stage> template(JobSpec spec, SparkStudyPlan.Columns c) {
    List<StudyPipeline.Stage> stages = new ArrayList<>();
    if (c == null || SparkEstimators.task(spec.estimators().get(0).stage()) == Task.RECOMMENDATION) {
      return stages;
    }
    JobSpec.Featurize f = spec.featurize();
    List<String> assembled = new ArrayList<>(c.numeric());
    if (!c.strings().isEmpty()) {
      String[] in = c.strings().toArray(new String[0]);
      String[] indexed = c.strings().stream().map(s -> s + "_tl_idx").toArray(String[]::new);
      stages.add(new StudyPipeline.Stage("string_indexer",
          new StringIndexer().setInputCols(in).setOutputCols(indexed).setHandleInvalid("keep")));
      if (f.encoding().equals("onehot")) {
        String[] encoded = c.strings().stream().map(s -> s + "_tl_ohe").toArray(String[]::new);
        stages.add(new StudyPipeline.Stage("one_hot_encoder",
            new OneHotEncoder().setInputCols(indexed).setOutputCols(encoded)));
        assembled.addAll(List.of(encoded));
      } else {
        assembled.addAll(List.of(indexed));
      }
    }
    assembled.addAll(c.vectors());
    boolean scaled = !f.scaling().equals("none");
    stages.add(new StudyPipeline.Stage("vector_assembler", new VectorAssembler()
        .setInputCols(assembled.toArray(new String[0])).setOutputCol(scaled ? RAW : FEATURES)));
    if (f.scaling().equals("standard")) {
      stages.add(new StudyPipeline.Stage("standard_scaler",
          new StandardScaler().setInputCol(RAW).setOutputCol(FEATURES).setWithMean(false).setWithStd(true)));
    } else if (f.scaling().equals("minmax")) {
      stages.add(new StudyPipeline.Stage("min_max_scaler", new MinMaxScaler().setInputCol(RAW).setOutputCol(FEATURES)));
    }
    return stages;
  }

  /** The columns a fitted prefix keeps for the rest of the pipeline, or null to keep them all. */
  static List<String> fittedColumns(SparkStudyPlan plan) {
    StudyPipeline p = plan.pipeline();
    if (p.prefixLength() < p.stages().size()) {
      // Tuned stages follow, and what they read is theirs to say (a SQLTransformer's statement).
      return null;
    }
    List<String> out = new ArrayList<>();
    if (plan.task() == Task.RECOMMENDATION) {
      out.addAll(plan.columns().numeric());
    } else {
      out.add(p.featuresCol());
    }
    if (plan.columns().label() != null && !out.contains(plan.columns().label())) {
      out.add(plan.columns().label());
    }
    return out;
  }

  /** {@code transformed} (the prefix's output) narrowed to the {@link #fittedColumns}. */
  static Dataset<Row> keepFitted(SparkStudyPlan plan, Dataset<Row> transformed) {
    List<String> keep = fittedColumns(plan);
    return keep == null ? transformed : transformed.select(keep.stream().map(Column::new).toArray(Column[]::new));
  }

  /** The width of the feature vector of featurized rows, from the assembler's metadata. */
  public static int featureCount(Dataset<Row> featurized) {
    return featureCount(featurized, FEATURES);
  }

  /** The width of the vectors in column {@code features}, from its metadata; 0 when unknown. */
  static int featureCount(Dataset<Row> featurized, String features) {
    if (!List.of(featurized.columns()).contains(features)) {
      return 0;
    }
    return Math.max(0, AttributeGroup.fromStructField(featurized.schema().apply(features)).size());
  }

  /**
   * {@code est} wired to the study's columns: the features and the label, ALS's id and rating
   * columns, and the study's seed. With no columns yet (a static check) it is returned as it is.
   */
  static Estimator<?> wired(Estimator<?> est, SparkStudyPlan.Columns columns, String features, long seed) {
    if (columns == null) {
      return est;
    }
    ParamMap map = new ParamMap();
    String label = columns.label();
    if (est instanceof ALS) {
      List<String> ids = columns.numeric();
      put(map, est, "userCol", ids.get(0));
      put(map, est, "itemCol", ids.get(1));
      put(map, est, "ratingCol", label);
      // Users or items that only occur in a validation fold would otherwise score NaN.
      put(map, est, "coldStartStrategy", "drop");
    } else {
      put(map, est, "featuresCol", features);
      if (label != null && est.hasParam("labelCol")) {
        put(map, est, "labelCol", label);
      }
    }
    if (est.hasParam("seed")) {
      put(map, est, "seed", seed);
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
