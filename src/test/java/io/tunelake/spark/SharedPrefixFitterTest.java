package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.study.Evaluation;
import io.tunelake.study.Suggestion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSession.class)
class SharedPrefixFitterTest {

  static SparkCrossValidation objective(String... overrides) {
    return SparkCrossValidationTest.objective("prefix-test", "gbt_classifier",
        "{maxDepth: {values: [2, 3]}, maxIter: {values: [2, 5]}}", "{pruning: false}", 2, overrides);
  }

  @Test
  void theFirstTreesOfALongerBoostingRunAreMLlibsFitWithFewerIterations() {
    try (SparkCrossValidation cv = objective()) {
      FoldData fold = cv.folds().get(0);
      // Subsampling and feature subsets draw from seed + m: the prefix must hold with them too.
      GBTClassifier longer = new GBTClassifier().setFeaturesCol(SparkPipelines.FEATURES).setLabelCol("label")
          .setMaxDepth(3).setStepSize(0.3).setSubsamplingRate(0.8).setFeatureSubsetStrategy("sqrt").setSeed(7)
          .setMaxIter(6);
      GBTClassificationModel full = longer.fit(fold.train());
      List<Row> fullRows = probabilities(full, fold);
      for (int k : new int[] {1, 3, 6}) {
        GBTClassifier shorter = longer.copy(new ParamMap()).setMaxIter(k);
        GBTClassificationModel want = shorter.fit(fold.train());
        GBTClassificationModel got = (GBTClassificationModel) FittedModels.firstTrees(full, shorter);
        assertEquals(want.toDebugString(), got.toDebugString(), "maxIter " + k);
        assertArrayEquals(want.treeWeights(), got.treeWeights(), "maxIter " + k);
        assertEquals(k, got.getMaxIter());
        assertEquals(want.getStepSize(), got.getStepSize());
        assertEquals(probabilities(want, fold), probabilities(got, fold), "maxIter " + k);
        if (k < 6) {
          assertNotEquals(fullRows, probabilities(got, fold), "a prefix is not the whole run");
        }
      }
      GBTRegressor regressor = new GBTRegressor().setFeaturesCol(SparkPipelines.FEATURES).setLabelCol("label")
          .setMaxDepth(2).setSeed(7).setMaxIter(4);
      GBTRegressionModel longRegression = regressor.fit(fold.train());
      GBTRegressionModel want = regressor.copy(new ParamMap()).setMaxIter(2).fit(fold.train());
      Model<?> got = FittedModels.firstTrees(longRegression, regressor.copy(new ParamMap()).setMaxIter(2));
      assertEquals(want.toDebugString(), ((GBTRegressionModel) got).toDebugString());
    }
  }

  /**
   * Pins why random forests are not shared (docs/decisions.md): MLlib draws every row's counts
   * for all trees from one generator, row by row, so tree 1 of a 2-tree forest sees other rows
   * than tree 1 of a 4-tree forest.
   */
  @Test
  void aRandomForestsFirstTreesAreNotAForestWithFewerTrees() {
    try (SparkCrossValidation cv = objective()) {
      FoldData fold = cv.folds().get(0);
      RandomForestClassifier rf = new RandomForestClassifier().setFeaturesCol(SparkPipelines.FEATURES)
          .setLabelCol("label").setMaxDepth(4).setSeed(7);
      RandomForestClassificationModel two = rf.copy(new ParamMap()).setNumTrees(2).fit(fold.train());
      RandomForestClassificationModel four = rf.copy(new ParamMap()).setNumTrees(4).fit(fold.train());
      assertNotEquals(two.trees()[0].toDebugString(), four.trees()[0].toDebugString());
    }
  }

  static final class Jobs extends SparkListener {
    final List<String> descriptions = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      String group = start.properties().getProperty("spark.jobGroup.id");
      if (group != null && group.startsWith("tunelake-prefix-test-") && !group.endsWith("-featurize")) {
        descriptions.add(start.properties().getProperty("spark.job.description"));
      }
    }
  }

  @Test
  void trialsDifferingOnlyInMaxIter_scoreAsOneFitAtATimeDoes_fromOneBoostingRunPerFold() {
    List<Suggestion> batch = List.of(new Suggestion(1, 1, Map.of("maxDepth", 2, "maxIter", 2)),
        new Suggestion(2, 1, Map.of("maxDepth", 2, "maxIter", 5)), new Suggestion(3, 1, Map.of("maxDepth", 3, "maxIter", 5)),
        new Suggestion(4, 1, Map.of("maxDepth", 3, "maxIter", 2)));
    SparkSession spark = SparkTestSession.get();
    Jobs shared = new Jobs();
    Jobs single = new Jobs();
    List<Evaluation> oneAtATime;
    List<Evaluation> prefixes;
    try (SparkCrossValidation cv = objective("search.fused_fits=false")) {
      spark.sparkContext().addSparkListener(single);
      oneAtATime = cv.evaluate(batch, List.of());
    } finally {
      spark.sparkContext().removeSparkListener(single);
    }
    try (SparkCrossValidation cv = objective()) {
      spark.sparkContext().addSparkListener(shared);
      prefixes = cv.evaluate(batch, List.of());
    } finally {
      spark.sparkContext().removeSparkListener(shared);
    }
    for (int i = 0; i < batch.size(); i++) {
      assertEquals(TrialStatus.COMPLETE, prefixes.get(i).status(), prefixes.get(i).toString());
      assertEquals(oneAtATime.get(i).foldMetrics(), prefixes.get(i).foldMetrics(), "trial " + (i + 1));
    }
    assertTrue(shared.descriptions.stream().anyMatch(d -> d.contains("trials [1, 2], fold 1/3, one boosting run of 5 "
        + "trees")), shared.descriptions.toString());
    assertTrue(shared.descriptions.size() < single.descriptions.size(),
        "shared: " + shared.descriptions.size() + " jobs, one at a time: " + single.descriptions.size());
  }

  private static List<Row> probabilities(Model<?> model, FoldData fold) {
    return model.transform(fold.validation()).select("probability").collectAsList();
  }
}
