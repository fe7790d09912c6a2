package io.tunelake.spark;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.stddev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSession.class)
class SparkSyntheticDataTest {

  static SparkSyntheticData.Shape classification(long rows, int classes, long seed) {
    return new SparkSyntheticData.Shape(Task.CLASSIFICATION, rows, 20, 8, 4, 2, classes, 5, seed);
  }

  static List<Row> rows(SparkSyntheticData.Shape shape, int partitions) {
    SparkSession spark = SparkTestSession.get();
    return SparkSyntheticData.generate(spark, shape, partitions).orderBy("x0").collectAsList();
  }

  @Test
  void generate_sameSeed_sameRowsWhateverThePartitions() {
    List<Row> one = rows(classification(2000, 2, 7), 1);
    List<Row> three = rows(classification(2000, 2, 7), 3);
    assertEquals(2000, one.size());
    assertEquals(one, three);
  }

  @Test
  void generate_otherSeed_otherRows() {
    List<Row> a = rows(classification(2000, 2, 7), 2);
    List<Row> b = rows(classification(2000, 2, 8), 2);
    assertNotEquals(a.get(0), b.get(0));
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> da = SparkSyntheticData.generate(spark, classification(2000, 2, 7), 2);
    Dataset<Row> db = SparkSyntheticData.generate(spark, classification(2000, 2, 8), 2);
    assertEquals(0, da.intersect(db).count());
  }

  @Test
  void generate_schema_labelThenNumericThenCategoricalColumns() {
    Dataset<Row> data = SparkSyntheticData.generate(SparkTestSession.get(), classification(2000, 2, 7), 2);
    StringBuilder expected = new StringBuilder("label");
    for (int j = 0; j < 18; j++) {
      expected.append(",x").append(j);
    }
    expected.append(",c0,c1");
    assertEquals(expected.toString(), String.join(",", data.columns()));
    assertEquals(DataTypes.IntegerType, data.schema().apply("label").dataType());
    assertEquals(DataTypes.DoubleType, data.schema().apply("x17").dataType());
    assertEquals(DataTypes.StringType, data.schema().apply("c1").dataType());
    assertEquals(2000, data.count());
    List<Row> levels = data.select("c0").distinct().orderBy("c0").collectAsList();
    assertEquals(List.of("v0", "v1", "v2", "v3", "v4"), levels.stream().map(r -> r.getString(0)).toList());
  }

  @Test
  void generate_binaryLabel_roughlyBalanced() {
    double positive = SparkSyntheticData.generate(SparkTestSession.get(), classification(2000, 2, 7), 2)
        .agg(avg(col("label"))).first().getDouble(0);
    assertTrue(positive > 0.4 && positive < 0.6, "share of label 1: " + positive);
  }

  @Test
  void generate_multiclassLabel_everyClassHasAFairShare() {
    List<Row> counts = SparkSyntheticData.generate(SparkTestSession.get(), classification(2000, 4, 7), 2)
        .groupBy("label").count().orderBy("label").collectAsList();
    assertEquals(4, counts.size());
    for (int c = 0; c < 4; c++) {
      assertEquals(c, counts.get(c).getInt(0));
      long n = counts.get(c).getLong(1);
      assertTrue(n > 2000 / 4 / 2 && n < 2000 / 4 * 2, "class " + c + " has " + n + " of 2000 rows");
    }
  }

  @Test
  void generate_regressionLabel_centredWithTheModelsSpread() {
    SparkSyntheticData.Shape shape = new SparkSyntheticData.Shape(Task.REGRESSION, 2000, 10, 4, 2, 1, 2, 5, 7);
    Row r = SparkSyntheticData.generate(SparkTestSession.get(), shape, 2)
        .agg(avg(col("label")), stddev(col("label"))).first();
    assertEquals(DataTypes.DoubleType,
        SparkSyntheticData.schema(shape).apply("label").dataType());
    // lin (variance 1) + 0.5 nl (0.25) + 0.5 noise (0.25): standard deviation about 1.22.
    assertTrue(Math.abs(r.getDouble(0)) < 0.15, "mean " + r.getDouble(0));
    assertTrue(r.getDouble(1) > 1.05 && r.getDouble(1) < 1.4, "standard deviation " + r.getDouble(1));
  }

  @Test
  void generate_redundantColumns_areTheMixOfTheInformativeOnes() {
    SparkSyntheticData.Shape shape = classification(50, 2, 7);
    double[][] mixing = SparkSyntheticData.Coefficients.draw(shape).mixing();
    for (Row r : rows(shape, 1)) {
      for (int i = 0; i < 4; i++) {
        double expected = 0;
        for (int j = 0; j < 8; j++) {
          expected += mixing[i][j] * r.getDouble(1 + j);
        }
        assertEquals(expected, r.getDouble(1 + 8 + i), 1e-12);
      }
    }
  }

  @Test
  void generate_logisticRegression_learnsItButNotPerfectly() {
    Dataset<Row>[] parts = SparkSyntheticData.generate(SparkTestSession.get(), classification(4000, 2, 7), 2)
        .randomSplit(new double[] {0.75, 0.25}, 7);
    String[] numeric = new String[18];
    for (int j = 0; j < numeric.length; j++) {
      numeric[j] = "x" + j;
    }
    String[] assembled = java.util.Arrays.copyOf(numeric, 20);
    assembled[18] = "c0_ohe";
    assembled[19] = "c1_ohe";
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCols(new String[] {"c0", "c1"}).setOutputCols(new String[] {"c0_idx", "c1_idx"}),
        new OneHotEncoder().setInputCols(new String[] {"c0_idx", "c1_idx"})
            .setOutputCols(new String[] {"c0_ohe", "c1_ohe"}),
        new VectorAssembler().setInputCols(assembled).setOutputCol("features"),
        new LogisticRegression().setMaxIter(50).setRegParam(0.001)});
    double auc = new BinaryClassificationEvaluator().evaluate(pipeline.fit(parts[0]).transform(parts[1]));
    assertTrue(auc > 0.8 && auc < 0.92, "held-out AUC " + auc);
  }

  @Test
  void shape_tooManyKinds_namesTheOptions() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SparkSyntheticData.Shape(Task.CLASSIFICATION, 10, 10, 8, 4, 2, 2, 5, 7));
    assertEquals("--informative (8) + --redundant (4) + --categorical (2) = 14 must be at most --features (10); "
        + "lower one of them or raise --features", e.getMessage());
  }

  @Test
  void shape_noSignal_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SparkSyntheticData.Shape(Task.CLASSIFICATION, 10, 10, 0, 0, 0, 2, 5, 7));
    assertEquals("--informative and --categorical are both 0, so the label would be pure noise; set at least one "
        + "of them to 1 or more", e.getMessage());
  }

  @Test
  void shape_oneClass_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SparkSyntheticData.Shape(Task.CLASSIFICATION, 10, 10, 2, 0, 0, 1, 5, 7));
    assertEquals("--classes must be between 2 and 1000 for classification, but got 1", e.getMessage());
  }
}
