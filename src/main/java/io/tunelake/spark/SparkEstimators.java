package io.tunelake.spark;

import io.tunelake.spec.ParamType;
import io.tunelake.spec.SpecException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.classification.DecisionTreeClassifier;
import org.apache.spark.ml.classification.FMClassifier;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LinearSVC;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.classification.NaiveBayes;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.clustering.BisectingKMeans;
import org.apache.spark.ml.clustering.GaussianMixture;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.regression.DecisionTreeRegressor;
import org.apache.spark.ml.regression.FMRegressor;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.GeneralizedLinearRegression;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.RandomForestRegressor;

/**
 * The catalogue of MLlib estimators a spec may name, by short name, with the task each solves.
 * Tunable parameters are the estimator's own MLlib params (checked against {@code params()}),
 * less the column names and the seed, plus, for the multilayer perceptron, the architecture
 * parameters {@code hiddenLayers} and {@code hiddenWidth1..hiddenWidth8} that make up its
 * {@code layers} array.
 */
public final class SparkEstimators {
  /** The most hidden layers an architecture search may ask for. */
  public static final int MAX_HIDDEN_LAYERS = 8;
  static final String HIDDEN_LAYERS = "hiddenLayers";
  static final String HIDDEN_WIDTH = "hiddenWidth";

  /** One entry of the catalogue. */
  record Entry(String name, Task task, Supplier<Estimator<?>> factory) {}

  private static final Map<String, Entry> CATALOGUE = new LinkedHashMap<>();

  private static void add(String name, Task task, Supplier<Estimator<?>> factory) {
    CATALOGUE.put(name, new Entry(name, task, factory));
  }

  static {
    add("logistic_regression", Task.CLASSIFICATION, LogisticRegression::new);
    add("linear_svc", Task.CLASSIFICATION, LinearSVC::new);
    add("decision_tree_classifier", Task.CLASSIFICATION, DecisionTreeClassifier::new);
    add("random_forest_classifier", Task.CLASSIFICATION, RandomForestClassifier::new);
    add("gbt_classifier", Task.CLASSIFICATION, GBTClassifier::new);
    add("naive_bayes", Task.CLASSIFICATION, NaiveBayes::new);
    add("multilayer_perceptron", Task.CLASSIFICATION, MultilayerPerceptronClassifier::new);
    add("fm_classifier", Task.CLASSIFICATION, FMClassifier::new);
    add("linear_regression", Task.REGRESSION, LinearRegression::new);
    add("generalized_linear_regression", Task.REGRESSION, GeneralizedLinearRegression::new);
    add("decision_tree_regressor", Task.REGRESSION, DecisionTreeRegressor::new);
    add("random_forest_regressor", Task.REGRESSION, RandomForestRegressor::new);
    add("gbt_regressor", Task.REGRESSION, GBTRegressor::new);
    add("fm_regressor", Task.REGRESSION, FMRegressor::new);
    add("kmeans", Task.CLUSTERING, KMeans::new);
    add("bisecting_kmeans", Task.CLUSTERING, BisectingKMeans::new);
    add("gaussian_mixture", Task.CLUSTERING, GaussianMixture::new);
    add("als", Task.RECOMMENDATION, ALS::new);
  }

  /** Params that wire columns or seeds; a study sets them itself. */
  private static final Set<String> NOT_TUNABLE = Set.of(
      "featuresCol", "labelCol", "predictionCol", "probabilityCol", "rawPredictionCol", "weightCol",
      "varianceCol", "linkPredictionCol", "offsetCol", "userCol", "itemCol", "ratingCol", "leafCol",
      "seed", "checkpointInterval", "intermediateStorageLevel", "finalStorageLevel", "layers",
      "initialWeights", "thresholds", "lowerBoundsOnCoefficients", "upperBoundsOnCoefficients",
      "lowerBoundsOnIntercepts", "upperBoundsOnIntercepts", "validationIndicatorCol", "distanceMeasure_",
      "coldStartStrategy");

  private SparkEstimators() {}

  /** The short names of every estimator, in catalogue order. */
  public static List<String> names() {
    return new ArrayList<>(CATALOGUE.keySet());
  }

  /** The catalogue entry for {@code name}, or a spec error naming the nearest valid name. */
  static Entry entry(String name) {
    Entry e = CATALOGUE.get(name);
    if (e == null) {
      throw SpecException.unknown("estimator", "estimator", name, CATALOGUE.keySet());
    }
    return e;
  }

  /** The task that estimator {@code name} solves. */
  public static Task task(String name) {
    return entry(name).task();
  }

  /** A fresh, unconfigured instance of estimator {@code name}. */
  static Estimator<?> create(String name) {
    return entry(name).factory().get();
  }

  /** Whether {@code name} is in the catalogue. */
  static boolean isKnown(String name) {
    return CATALOGUE.containsKey(name);
  }

  /** The names a spec may tune for estimator {@code name}, sorted. */
  public static Set<String> tunableNames(String name) {
    return tunableNames(create(name));
  }

  /**
   * The names a space may tune on {@code stage}: its own MLlib params of a searchable type, less
   * column wiring and seeds, plus a perceptron's architecture parameters.
   */
  static Set<String> tunableNames(Params stage) {
    Set<String> out = new TreeSet<>();
    for (Param<?> p : stage.params()) {
      if (!NOT_TUNABLE.contains(p.name()) && !p.name().endsWith("Col") && !p.name().endsWith("Cols")
          && SparkStages.typeOf(p) != null) {
        out.add(p.name());
      }
    }
    if (stage instanceof MultilayerPerceptronClassifier) {
      out.add(HIDDEN_LAYERS);
      for (int i = 1; i <= MAX_HIDDEN_LAYERS; i++) {
        out.add(HIDDEN_WIDTH + i);
      }
    }
    return out;
  }

  /**
   * The value type of parameter {@code param} of estimator {@code estimator}, or a spec error
   * that names the nearest tunable parameter.
   */
  public static ParamType paramType(String estimator, String param) {
    return paramType("space." + param, estimator, create(estimator), param);
  }

  /** The type of tunable param {@code param} of {@code stage} (named {@code stageName}); {@code field} for messages. */
  static ParamType paramType(String field, String stageName, Params stage, String param) {
    Set<String> tunable = tunableNames(stage);
    if (!tunable.contains(param)) {
      throw SpecException.unknown(field, "parameter of " + stageName, param, tunable);
    }
    if (isArchitecture(param)) {
      return ParamType.INT;
    }
    return SparkStages.typeOf(stage.getParam(param));
  }

  /** Whether {@code param} is one of a perceptron's architecture parameters rather than an MLlib param. */
  static boolean isArchitecture(String param) {
    return param.equals(HIDDEN_LAYERS) || param.startsWith(HIDDEN_WIDTH);
  }

  /**
   * Checks {@code value} against the param's own validator (for example {@code elasticNetParam}
   * in [0, 1]); the message quotes the param's documentation.
   */
  public static void checkValue(String estimator, String param, Object value) {
    checkValue("space." + param, estimator, create(estimator), param, value);
  }

  /** As {@link #checkValue(String, String, Object)} for a param of any stage. */
  @SuppressWarnings("unchecked")
  static void checkValue(String field, String stageName, Params stage, String param, Object value) {
    if (isArchitecture(param)) {
      int v = ((Number) value).intValue();
      int min = param.equals(HIDDEN_LAYERS) ? 0 : 1;
      int max = param.equals(HIDDEN_LAYERS) ? MAX_HIDDEN_LAYERS : Integer.MAX_VALUE;
      if (v < min || v > max) {
        throw SpecException.expected(field, "a value in [" + min + ", " + max + "]", value);
      }
      return;
    }
    SparkStages.checked(field, stageName, (Param<Object>) stage.getParam(param), value);
  }
}
