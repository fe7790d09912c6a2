package io.tunelake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API as a Spark user's job calls it: pipelines built in Java, against CrossValidator where they overlap. */
@ExtendWith(SparkTestSession.class)
class TuneLakeValidatorTest {
  static final String[] NUMERIC = {"age", "education_num", "capital_gain", "capital_loss", "hours_per_week"};
  private static Dataset<Row> adult;

  @BeforeAll
  static void data() {
    SparkSession spark = SparkTestSession.get();
    adult = spark.read().option("header", "true").option("inferSchema", "true")
        .csv(SparkTestSession.headOf("adult.csv", 1500).toString())
        .select(col("age").cast("double"), col("education_num").cast("double"), col("capital_gain").cast("double"),
            col("capital_loss").cast("double"), col("hours_per_week").cast("double"),
            col("label").cast("double"));
  }

  @Test
  void grid_sameFoldsAsCrossValidator_sameBestMapAndFoldMeans() {
    Dataset<Row> folded = adult.withColumn("fold", pmod(xxhash64(col("age"), col("education_num"),
        col("capital_gain"), col("hours_per_week"), col("label")), lit(3)).cast("int")).cache();
    LogisticRegression lr = new LogisticRegression().setMaxIter(30);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(NUMERIC).setOutputCol("features"), lr});
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(lr.regParam(), new double[] {0.001, 0.01, 0.1})
        .addGrid(lr.elasticNetParam(), new double[] {0.0, 0.5})
        .build();
    BinaryClassificationEvaluator evaluator = new BinaryClassificationEvaluator();

    CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
        .setEvaluator(evaluator).setNumFolds(3).setFoldCol("fold").fit(folded);
    Path store = SparkTestSession.tempDir("api-store");
    TunedModel tuned = new TuneLakeValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
        .setEvaluator(evaluator).setNumFolds(3).setFoldCol("fold").setStudy("api-vs-cv")
        .setStorePath(store.toString()).fit(folded);

    assertArrayEquals(cv.avgMetrics(), tuned.avgMetrics(), 1e-9);
    int best = 0;
    for (int i = 1; i < grid.length; i++) {
      best = cv.avgMetrics()[i] > cv.avgMetrics()[best] ? i : best;
    }
    assertEquals(grid[best].get(lr.regParam()).get(), tuned.bestParams().get(lr.regParam()).get());
    assertEquals(grid[best].get(lr.elasticNetParam()).get(), tuned.bestParams().get(lr.elasticNetParam()).get());
    assertEquals(cv.avgMetrics()[best], tuned.bestMetric(), 1e-9);
    Set<String> stored = tuned.trials().select("params_json").collectAsList().stream().map(r -> r.getString(0))
        .collect(Collectors.toSet());
    assertEquals(grid.length, stored.size(), "every grid point is a trial: " + stored);
    assertTrue(tuned.bestModel() instanceof PipelineModel);
  }

  /** A user's own metric: the share of rows whose prediction is their label. */
  public static final class Accuracy extends Evaluator implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private final String uid;

    public Accuracy() {
      this(Identifiable.randomUID("accuracy"));
    }

    public Accuracy(String uid) {
      this.uid = uid;
    }

    @Override
    public double evaluate(Dataset<?> dataset) {
      long rows = dataset.count();
      return rows == 0 ? 0 : (double) dataset.where(col("prediction").equalTo(col("label"))).count() / rows;
    }

    @Override
    public Evaluator copy(ParamMap extra) {
      return defaultCopy(extra);
    }

    @Override
    public String uid() {
      return uid;
    }
  }

  @Test
  void space_userPipelineAndEvaluator_savedLoadedAndScoresHeldOutRows() throws Exception {
    Dataset<Row>[] parts = adult.randomSplit(new double[] {0.8, 0.2}, 7);
    LogisticRegression lr = new LogisticRegression().setMaxIter(20);
    PCA pca = new PCA().setInputCol("scaled").setOutputCol("features");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new SQLTransformer().setStatement("SELECT *, capital_gain - capital_loss AS capital_net FROM __THIS__"),
        new VectorAssembler().setInputCols(new String[] {"age", "education_num", "capital_net", "hours_per_week"})
            .setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("scaled"),
        pca, lr});
    Path store = SparkTestSession.tempDir("api-store");
    TuneLakeValidator validator = new TuneLakeValidator().setEstimator(pipeline).setEvaluator(new Accuracy())
        .setSearchSpace(ParamSpace.builder().intRange(pca.k(), 2, 4).logUniform(lr.regParam(), 1e-4, 0.1).build())
        .setAlgorithm("random").setTrials(4).setBatchSize(4).setStudy("api-pca").setStorePath(store.toString());
    TunedModel tuned = validator.fit(parts[0]);

    assertEquals(4, tuned.trials().count());
    int k = (Integer) tuned.bestParams().get(pca.k()).get();
    assertTrue(k >= 2 && k <= 4, "k = " + k);
    Path saved = SparkTestSession.tempDir("api-model").resolve("tuned");
    tuned.write().overwrite().save(saved.toString());
    TunedModel loaded = TunedModel.load(saved.toString());
    assertEquals(tuned.bestMetric(), loaded.bestMetric(), 0);
    assertEquals("api-pca", loaded.study());
    assertEquals(4, loaded.trials().count());
    List<Row> original = tuned.transform(parts[1]).select("prediction").collectAsList();
    List<Row> reloaded = loaded.transform(parts[1]).select("prediction").collectAsList();
    assertEquals(parts[1].count(), reloaded.size());
    assertEquals(original, reloaded);

    Path savedValidator = SparkTestSession.tempDir("api-validator").resolve("validator");
    validator.write().overwrite().save(savedValidator.toString());
    TuneLakeValidator back = TuneLakeValidator.load(savedValidator.toString());
    assertEquals("api-pca", back.getStudy());
    assertEquals(4, back.getTrials());
    assertTrue(back.getEvaluator() instanceof Accuracy);
    assertEquals(2, back.getSearchSpace().params().size());
  }
}
