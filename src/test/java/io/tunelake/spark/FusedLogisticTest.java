package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSession.class)
class FusedLogisticTest {

  static LogisticRegression lr(double reg, double alpha) {
    return new LogisticRegression().setFeaturesCol(SparkPipelines.FEATURES).setLabelCol("label")
        .setRegParam(reg).setElasticNetParam(alpha).setMaxIter(30);
  }

  @Test
  void fusedFitsAreMLlibsFits_coefficientsAndScores() throws Exception {
    try (SparkCrossValidation cv = SparkCrossValidationTest.objective();
        FusedLogistic fused = FusedLogistic.prepare(SparkTestSession.get(),
            cv.folds().stream().map(FoldData::train).toList(), "label")) {
      List<LogisticRegression> configs = List.of(lr(1e-3, 0), lr(1e-2, 0.5), lr(0.1, 1.0), lr(0, 0),
          lr(1e-2, 0.5).setStandardization(false), lr(1e-2, 0).setFitIntercept(false), lr(0.05, 0.2).setTol(1e-3));
      List<FusedLogistic.Fit> fits = new ArrayList<>();
      for (LogisticRegression c : configs) {
        for (FoldData f : cv.folds()) {
          fits.add(new FusedLogistic.Fit(c, f.index()));
        }
      }
      List<FusedLogistic.Fitted> out = fused.fit(fits);
      for (int i = 0; i < fits.size(); i++) {
        FusedLogistic.Fitted got = out.get(i);
        assertNull(got.error(), got.error());
        FoldData fold = cv.folds().get(fits.get(i).fold());
        LogisticRegressionModel want = fits.get(i).estimator().fit(fold.train());
        double[] a = got.model().coefficients().toArray();
        double[] b = want.coefficients().toArray();
        double worst = Math.abs(got.model().intercept() - want.intercept());
        for (int j = 0; j < a.length; j++) {
          worst = Math.max(worst, Math.abs(a[j] - b[j]));
        }
        System.out.printf("fit %d: max coefficient difference %.3g (intercept %.4f vs %.4f)%n", i, worst,
            got.model().intercept(), want.intercept());
        assertTrue(worst < 1e-8, "fit " + i + ": " + worst);
        double gotScore = SparkMetrics.score(got.model().transform(fold.validation()), Task.CLASSIFICATION,
            "areaUnderROC", "label");
        double wantScore = SparkMetrics.score(want.transform(fold.validation()), Task.CLASSIFICATION,
            "areaUnderROC", "label");
        assertEquals(wantScore, gotScore, 1e-9, "fit " + i);
        assertEquals(want.getRegParam(), got.model().getRegParam());
        assertEquals(want.getThreshold(), got.model().getThreshold());
      }
    }
  }

  @Test
  void aPassSumsTheSameWhetherTheDriverOrTheExecutorsMerge() {
    try (SparkCrossValidation cv = SparkCrossValidationTest.objective();
        FusedLogistic fused = FusedLogistic.prepare(SparkTestSession.get(),
            cv.folds().stream().map(FoldData::train).toList(), "label")) {
      int dim = fused.dimension(0);
      double[][] weights = new double[3][dim];
      for (int r = 0; r < weights.length; r++) {
        for (int j = 0; j < dim; j++) {
          weights[r][j] = Math.sin(r + 0.1 * j) / dim;
        }
      }
      LogisticBlocks.Request q = new LogisticBlocks.Request(new int[] {0, 1, 2}, weights, new double[] {-1, 0, 0.5});
      double[][] onDriver = fused.lossSums(q, Long.MAX_VALUE).sums;
      double[][] onExecutors = fused.lossSums(q, 0).sums;
      for (int r = 0; r < weights.length; r++) {
        assertEquals(dim + 3, onDriver[r].length);
        assertTrue(onDriver[r][dim + 2] > 1000, "rows of fold " + r + ": " + onDriver[r][dim + 2]);
        for (int j = 0; j < onDriver[r].length; j++) {
          assertEquals(onExecutors[r][j], onDriver[r][j], 1e-9 * Math.max(1, Math.abs(onExecutors[r][j])),
              "request " + r + ", sum " + j);
        }
      }
    }
  }

  @Test
  void onlyWhatFusingFitsAsMLlibWouldIsFused() {
    assertTrue(FusedLogistic.fuses(lr(0.1, 0.5), 2));
    assertTrue(FusedLogistic.fuses(lr(0.1, 0.5).setFamily("binomial").setStandardization(false), 2));
    assertFalse(FusedLogistic.fuses(lr(0.1, 0.5), 3), "multinomial");
    assertFalse(FusedLogistic.fuses(lr(0.1, 0.5).setFamily("multinomial"), 2));
    assertFalse(FusedLogistic.fuses(lr(0.1, 0.5).setThresholds(new double[] {0.3, 0.7}), 2));
    assertFalse(FusedLogistic.fuses(lr(0.1, 0.5).setWeightCol("w"), 2));
    assertFalse(FusedLogistic.fuses(lr(0.1, 0.5).setUpperBoundsOnIntercepts(
        org.apache.spark.ml.linalg.Vectors.dense(1.0)), 2));
    assertFalse(FusedLogistic.fuses(new org.apache.spark.ml.classification.GBTClassifier(), 2));
  }
}
