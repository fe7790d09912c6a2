package io.tunelake.spark;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;

/**
 * MLlib models built outside their estimator's {@code fit}, as that fit would build them.
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
}
