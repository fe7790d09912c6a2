package io.tunelake.spark;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.GBTRegressor;

/**
 * MLlib models built outside their estimator's {@code fit}, as that fit would build them: the
 * coefficients of a fused logistic regression, the first trees of a longer boosting run.
 */
final class FittedModels {
  private FittedModels() {}

  /** {@code model} with every param of {@code est} that it has, as {@code Predictor.fit} copies them. */
  @SuppressWarnings("unchecked")
  static <M extends Model<M>> M withParamsOf(Estimator<?> est, M model) {
    ParamMap params = new ParamMap();
    for (Param<?> p : est.params()) {
      if (est.isDefined(p) && model.hasParam(p.name())) {
        params.put((Param<Object>) model.getParam(p.name()), est.getOrDefault(p));
      }
    }
    return model.copy(params);
  }

  /**
   * Whether {@code est} is gradient boosting whose run of {@code maxIter = k} is the first k
   * trees of any longer run at the same other params: no validation set (early stopping would
   * cut a run where a longer one goes on).
   */
  static boolean boostsByPrefix(Estimator<?> est) {
    if (!(est instanceof GBTClassifier || est instanceof GBTRegressor)) {
      return false;
    }
    Param<?> validation = est.getParam("validationIndicatorCol");
    return !est.isDefined(validation) || ((String) est.getOrDefault(validation)).isEmpty();
  }

  /** {@code est}'s class and every param it defines but {@code maxIter}: what a shared boosting run must agree on. */
  static String allButIterations(Estimator<?> est) {
    Map<String, String> params = new TreeMap<>();
    for (Param<?> p : est.params()) {
      if (!p.name().equals("maxIter") && est.isDefined(p)) {
        Object v = est.getOrDefault(p);
        params.put(p.name(), v instanceof Object[] a ? Arrays.deepToString(a) : String.valueOf(v));
      }
    }
    return est.getClass().getName() + params;
  }

  /** The boosting iterations {@code est} (see {@link #boostsByPrefix}) runs. */
  static int iterations(Estimator<?> est) {
    return (Integer) est.getOrDefault(est.getParam("maxIter"));
  }

  /**
   * The model {@code est} would fit, from {@code longer}, a fit of the same estimator with at
   * least as many iterations on the same rows: its first {@code maxIter} trees and weights.
   */
  static Model<?> firstTrees(Model<?> longer, Estimator<?> est) {
    int k = iterations(est);
    if (longer instanceof GBTClassificationModel c && est instanceof GBTClassifier) {
      checkLonger(c.getNumTrees(), k);
      return withParamsOf(est, new GBTClassificationModel(est.uid(), Arrays.copyOf(c.trees(), k),
          Arrays.copyOf(c.treeWeights(), k), c.numFeatures()));
    }
    if (longer instanceof GBTRegressionModel r && est instanceof GBTRegressor) {
      checkLonger(r.getNumTrees(), k);
      return withParamsOf(est, new GBTRegressionModel(est.uid(), Arrays.copyOf(r.trees(), k),
          Arrays.copyOf(r.treeWeights(), k), r.numFeatures()));
    }
    throw new IllegalArgumentException("no prefix of a " + longer.getClass().getSimpleName() + " is a fit of "
        + est.getClass().getSimpleName());
  }

  private static void checkLonger(int trees, int k) {
    if (trees < k) {
      throw new IllegalArgumentException("the first " + k + " trees of a run of " + trees + " do not exist");
    }
  }
}
