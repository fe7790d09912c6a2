package io.tunelake.spark;

import io.tunelake.spec.ParamType;
import io.tunelake.spec.SpecException;
import io.tunelake.spec.StageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.Binarizer;
import org.apache.spark.ml.feature.Bucketizer;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.DCT;
import org.apache.spark.ml.feature.ElementwiseProduct;
import org.apache.spark.ml.feature.FeatureHasher;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.Interaction;
import org.apache.spark.ml.feature.MaxAbsScaler;
import org.apache.spark.ml.feature.MinMaxScaler;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.Normalizer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.PolynomialExpansion;
import org.apache.spark.ml.feature.QuantileDiscretizer;
import org.apache.spark.ml.feature.RFormula;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.RobustScaler;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StopWordsRemover;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.TargetEncoder;
import org.apache.spark.ml.feature.Tokenizer;
import org.apache.spark.ml.feature.UnivariateFeatureSelector;
import org.apache.spark.ml.feature.VarianceThresholdSelector;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.feature.VectorIndexer;
import org.apache.spark.ml.feature.VectorSizeHint;
import org.apache.spark.ml.feature.VectorSlicer;
import org.apache.spark.ml.feature.Word2Vec;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayArrayParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * The MLlib feature stages a spec's {@code pipeline} may name, by short snake_case name or full
 * class name: an allow-list of MLlib's own classes, each made by its constructor, so no other
 * class is ever loaded from a spec string. Also how a spec value becomes a param value of any
 * stage (estimators included), checked by the param's own validator.
 */
public final class SparkStages {
  private static final Map<String, Supplier<PipelineStage>> BY_NAME = new LinkedHashMap<>();
  private static final Map<String, String> SHORT_BY_CLASS = new LinkedHashMap<>();

  private static void add(Class<? extends PipelineStage> type, Supplier<PipelineStage> factory) {
    String shortName = type == Word2Vec.class ? "word2vec" : StageSpec.snakeCase(type.getSimpleName());
    BY_NAME.put(shortName, factory);
    SHORT_BY_CLASS.put(type.getName(), shortName);
  }

  static {
    add(Binarizer.class, Binarizer::new);
    add(Bucketizer.class, Bucketizer::new);
    add(CountVectorizer.class, CountVectorizer::new);
    add(DCT.class, DCT::new);
    add(ElementwiseProduct.class, ElementwiseProduct::new);
    add(FeatureHasher.class, FeatureHasher::new);
    add(HashingTF.class, HashingTF::new);
    add(IDF.class, IDF::new);
    add(Imputer.class, Imputer::new);
    add(IndexToString.class, IndexToString::new);
    add(Interaction.class, Interaction::new);
    add(MaxAbsScaler.class, MaxAbsScaler::new);
    add(MinMaxScaler.class, MinMaxScaler::new);
    add(NGram.class, NGram::new);
    add(Normalizer.class, Normalizer::new);
    add(OneHotEncoder.class, OneHotEncoder::new);
    add(PCA.class, PCA::new);
    add(PolynomialExpansion.class, PolynomialExpansion::new);
    add(QuantileDiscretizer.class, QuantileDiscretizer::new);
    add(RFormula.class, RFormula::new);
    add(RegexTokenizer.class, RegexTokenizer::new);
    add(RobustScaler.class, RobustScaler::new);
    add(SQLTransformer.class, SQLTransformer::new);
    add(StandardScaler.class, StandardScaler::new);
    add(StopWordsRemover.class, StopWordsRemover::new);
    add(StringIndexer.class, StringIndexer::new);
    add(TargetEncoder.class, TargetEncoder::new);
    add(Tokenizer.class, Tokenizer::new);
    add(UnivariateFeatureSelector.class, UnivariateFeatureSelector::new);
    add(VarianceThresholdSelector.class, VarianceThresholdSelector::new);
    add(VectorAssembler.class, VectorAssembler::new);
    add(VectorIndexer.class, VectorIndexer::new);
    add(VectorSizeHint.class, VectorSizeHint::new);
    add(VectorSlicer.class, VectorSlicer::new);
    add(Word2Vec.class, Word2Vec::new);
  }

  private SparkStages() {}

  /** The short names a spec may use, in order. */
  static List<String> names() {
    return new ArrayList<>(BY_NAME.keySet());
  }

  /**
   * A new stage of the class {@code stage} names (short or full name) with {@code spec}'s params
   * set; {@code field} names the stage in messages.
   */
  static PipelineStage create(String field, StageSpec spec) {
    String shortName = SHORT_BY_CLASS.getOrDefault(spec.stage(), spec.stage());
    Supplier<PipelineStage> factory = BY_NAME.get(shortName);
    if (factory == null) {
      if (spec.stage().contains(".")) {
        throw SpecException.expected(field + ".stage", "an MLlib feature stage of the allow-list (short name or "
            + "full class name; other classes are never loaded): one of " + names(), spec.stage());
      }
      throw SpecException.unknown(field + ".stage", "stage", spec.stage(), names());
    }
    PipelineStage stage = factory.get();
    for (Map.Entry<String, Object> e : spec.params().entrySet()) {
      set(field + "." + e.getKey(), spec.name(), stage, e.getKey(), e.getValue());
    }
    return stage;
  }

  /**
   * Sets param {@code name} of {@code stage} to the spec value {@code value}, checked against
   * the stage's params (nearest name suggested) and the param's own validator.
   */
  @SuppressWarnings("unchecked")
  static void set(String field, String stageName, Params stage, String name, Object value) {
    if (!stage.hasParam(name)) {
      throw SpecException.unknown(field, "parameter of " + stageName, name, paramNames(stage));
    }
    Param<Object> p = (Param<Object>) stage.getParam(name);
    stage.set(p, checked(field, stageName, p, value));
  }

  /** {@code value} as the type {@code p} takes, and valid by its validator; else a spec error quoting its doc. */
  static Object checked(String field, String stageName, Param<Object> p, Object value) {
    Object converted;
    try {
      converted = toParamValue(p, value);
    } catch (RuntimeException e) {
      throw SpecException.expected(field, describe(p) + " for " + stageName + "'s " + p.name() + " (" + p.doc()
          + ")", value);
    }
    try {
      p.w(converted);
    } catch (IllegalArgumentException e) {
      throw SpecException.expected(field, "a valid value for " + stageName + "'s " + p.name() + " (" + p.doc()
          + ")", value);
    }
    return converted;
  }

  private static String describe(Param<?> p) {
    ParamType t = typeOf(p);
    if (t != null) {
      return "a " + t.name().toLowerCase();
    }
    return p instanceof StringArrayParam ? "a list of strings" : "a list of numbers";
  }

  /** Every param name of {@code stage}, sorted. */
  static Set<String> paramNames(Params stage) {
    Set<String> out = new TreeSet<>();
    for (Param<?> p : stage.params()) {
      out.add(p.name());
    }
    return out;
  }

  /** The search-space type of {@code p}; null for params a space cannot search (arrays, vectors). */
  static ParamType typeOf(Param<?> p) {
    if (p instanceof IntParam || p instanceof LongParam) {
      return ParamType.INT;
    }
    if (p instanceof DoubleParam || p instanceof FloatParam) {
      return ParamType.DOUBLE;
    }
    if (p instanceof BooleanParam) {
      return ParamType.BOOLEAN;
    }
    if (p.getClass() == Param.class) {
      return ParamType.STRING;
    }
    return null;
  }

  /** The value MLlib expects for {@code p}, converted from a spec or search-space value. */
  public static Object toParamValue(Param<?> p, Object value) {
    if (p instanceof IntParam) {
      return ((Number) value).intValue();
    }
    if (p instanceof LongParam) {
      return ((Number) value).longValue();
    }
    if (p instanceof DoubleParam) {
      return ((Number) value).doubleValue();
    }
    if (p instanceof FloatParam) {
      return ((Number) value).floatValue();
    }
    if (p instanceof BooleanParam) {
      return value instanceof Boolean ? value : Boolean.parseBoolean(String.valueOf(value));
    }
    if (p instanceof StringArrayParam) {
      return list(value).stream().map(v -> (String) v).toArray(String[]::new);
    }
    if (p instanceof DoubleArrayParam) {
      return list(value).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }
    if (p instanceof IntArrayParam) {
      return list(value).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }
    if (p instanceof DoubleArrayArrayParam) {
      return list(value).stream().map(v -> list(v).stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray())
          .toArray(double[][]::new);
    }
    if (p.getClass() != Param.class) {
      throw new IllegalArgumentException("param " + p.name() + " cannot be given in a spec");
    }
    return String.valueOf(value);
  }

  private static List<?> list(Object value) {
    if (value instanceof List<?> l) {
      return l;
    }
    return List.of(value);
  }
}
