package io.tunelake;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.DecisionTreeClassifier;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several objectives through the API on real Spark and Delta: a tree's AUC against the bytes of
 * its saved model. The front and the pick the model reports are checked against the trials
 * table, recomputed here from the stored fold metrics.
 */
@ExtendWith(SparkTestSession.class)
class TuneLakeValidatorObjectivesTest {
  static final String SIZE = "model_size_bytes";
  private static Dataset<Row> adult;

  @BeforeAll
  static void data() {
    adult = SparkTestSession.get().read().option("header", "true").option("inferSchema", "true")
        .csv(SparkTestSession.headOf("adult.csv", 800).toString())
        .select(col("age").cast("double"), col("education_num").cast("double"), col("capital_gain").cast("double"),
            col("capital_loss").cast("double"), col("hours_per_week").cast("double"), col("label").cast("double"))
        .cache();
  }

  /** One trial as the table holds it: id, depth, mean AUC and mean saved bytes over its folds. */
  record Point(int trialId, int depth, double auc, double bytes) {
    boolean dominates(Point o) {
      return auc >= o.auc && bytes <= o.bytes && (auc > o.auc || bytes < o.bytes);
    }
  }

  static List<Point> points(TunedModel tuned) {
    List<Point> out = new ArrayList<>();
    for (Row r : tuned.trials().orderBy("trial_id").collectAsList()) {
      assertEquals("COMPLETE", r.getAs("status"), r.toString());
      Map<String, scala.collection.Seq<Double>> secondary = r.getJavaMap(r.fieldIndex("secondary_metrics"));
      List<Double> bytes = scala.jdk.javaapi.CollectionConverters.asJava(secondary.get(SIZE));
      assertEquals(2, bytes.size(), "the size is measured on each fold: " + r);
      assertTrue(bytes.stream().allMatch(b -> b > 0), r.toString());
      Map<String, String> params = r.getJavaMap(r.fieldIndex("params"));
      out.add(new Point(r.getAs("trial_id"), Integer.parseInt(params.get("maxDepth")), r.getAs("mean"),
          bytes.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
    }
    return out;
  }

  static List<Point> front(List<Point> points) {
    return points.stream().filter(p -> points.stream().noneMatch(q -> q.dominates(p))).toList();
  }

  /** The member of {@code front} nearest the ideal point, each objective scaled to [0, 1] over the front. */
  static Point knee(List<Point> front) {
    double aucLow = front.stream().mapToDouble(Point::auc).min().orElseThrow();
    double aucHigh = front.stream().mapToDouble(Point::auc).max().orElseThrow();
    double bytesLow = front.stream().mapToDouble(Point::bytes).min().orElseThrow();
    double bytesHigh = front.stream().mapToDouble(Point::bytes).max().orElseThrow();
    Point best = null;
    double nearest = Double.POSITIVE_INFINITY;
    for (Point p : front) {
      double a = (aucHigh - p.auc) / (aucHigh - aucLow);
      double b = (p.bytes - bytesLow) / (bytesHigh - bytesLow);
      if (a * a + b * b < nearest) {
        nearest = a * a + b * b;
        best = p;
      }
    }
    return best;
  }

  private static TuneLakeValidator validator(Path store, String study, DecisionTreeClassifier tree, Pipeline pipeline) {
    return new TuneLakeValidator().setEstimator(pipeline).setEvaluator(new BinaryClassificationEvaluator())
        .setSearchSpace(ParamSpace.builder().choice(tree.maxDepth(), 1, 2, 4, 8).build())
        .setAlgorithm("grid").setTrials(4).setBatchSize(4).setNumFolds(2).setSeed(3)
        .setObjectives("areaUnderROC", SIZE).setStudy(study).setStorePath(store.toString());
  }

  @Test
  void fit_twoObjectives_returnsTheFrontAndTheKnee_aRuleWithAConstraintPicksByIt_andWarmStartAutoFindsThem() {
    DecisionTreeClassifier tree = new DecisionTreeClassifier().setSeed(1);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(TuneLakeValidatorTest.NUMERIC).setOutputCol("features"), tree});
    Path store = SparkTestSession.tempDir("api-objectives");

    TunedModel tuned = validator(store, "auc-vs-bytes", tree, pipeline).fit(adult);

    assertEquals(List.of("areaUnderROC", SIZE), tuned.objectives());
    List<Point> points = points(tuned);
    assertEquals(4, points.size());
    List<Point> front = front(points);
    assertTrue(front.size() >= 2, "depth trades AUC for bytes: " + points);
    assertEquals(front.stream().map(Point::trialId).toList(), tuned.frontTrialIds());
    assertEquals(tuned.frontTrialIds(), tuned.front().select("trial_id").collectAsList().stream()
        .map(r -> r.getInt(0)).toList());
    Point knee = knee(front);
    assertEquals(knee.trialId(), tuned.bestTrialId());
    assertEquals(knee.depth(), tuned.bestParams().get(tree.maxDepth()).get());
    assertEquals(knee.auc(), tuned.bestMetric(), 1e-12);
    assertTrue(tuned.whyBest().startsWith("trial " + knee.trialId() + ", the knee of the front of " + front.size()
        + ": "), tuned.whyBest());

    // The same trials (grid, seed, folds) in a study that keeps only AUCs at least the second
    // best's and picks the smallest model among them: the rule, not the knee, decides.
    double floor = points.stream().mapToDouble(Point::auc).sorted().toArray()[2];
    TunedModel ruled = validator(store, "smallest-good", tree, pipeline)
        .setConstraints(MetricBound.atLeast("areaUnderROC", floor))
        .setSelect(Selection.minimize(SIZE))
        .fit(adult);
    List<Point> all = points(ruled);
    List<Point> feasible = all.stream().filter(p -> p.auc() >= floor).toList();
    assertEquals(2, feasible.size(), all.toString());
    Point smallest = feasible.stream().min(java.util.Comparator.comparingDouble(Point::bytes)).orElseThrow();
    assertEquals(smallest.trialId(), ruled.bestTrialId());
    assertTrue(ruled.whyBest().startsWith("trial " + smallest.trialId() + ": the best " + SIZE + " ("),
        ruled.whyBest());
    assertEquals(front(feasible).stream().map(Point::trialId).toList(), ruled.frontTrialIds(),
        "an infeasible trial is never on the front");
    assertFalse(ruled.frontTrialIds().isEmpty());
    assertEquals(List.of(), ruled.warmStartStudies());

    // Warm start auto finds both earlier studies: the same pipeline, metric and data.
    TunedModel warm = new TuneLakeValidator().setEstimator(pipeline).setEvaluator(new BinaryClassificationEvaluator())
        .setSearchSpace(ParamSpace.builder().choice(tree.maxDepth(), 1, 2, 4, 8).build())
        .setAlgorithm("random").setTrials(2).setBatchSize(2).setNumFolds(2).setSeed(3).setWarmStartAuto(true)
        .setStudy("warm-auto").setStorePath(store.toString()).fit(adult);
    assertEquals(List.of("auc-vs-bytes", "smallest-good"), warm.warmStartStudies());
    assertEquals(List.of("areaUnderROC"), warm.objectives());
    assertEquals(List.of(), warm.frontTrialIds());
  }
}
