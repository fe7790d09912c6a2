package io.tunelake.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.udf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code predict_ms_per_1k_rows} follows the model's own work: a model whose scoring waits
 * measures next to nothing, a forest of many deep trees far more than a single stump.
 */
@ExtendWith(SparkTestSession.class)
class PredictCostTest {
  private static Dataset<Row> rows;

  @BeforeAll
  static void data() {
    Dataset<Row> raw = SparkTestSession.get().range(0, 2000, 1, 2)
        .withColumn("a", rand(1)).withColumn("b", rand(2)).withColumn("c", rand(3))
        .withColumn("label", col("a").plus(col("b").multiply(col("c"))).gt(0.7).cast("double"));
    rows = new VectorAssembler().setInputCols(new String[] {"a", "b", "c"}).setOutputCol("features")
        .transform(raw).cache();
    rows.count();
  }

  /** Scores each row after sleeping 2 ms: wall time, no CPU. */
  static final class WaitingModel extends Model<WaitingModel> {
    private static final long serialVersionUID = 1L;

    @Override
    public String uid() {
      return "waiting";
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
      UDF1<Double, Double> slow = x -> {
        Thread.sleep(2);
        return x;
      };
      return dataset.toDF().withColumn("prediction", udf(slow, DataTypes.DoubleType).apply(col("a")));
    }

    @Override
    public StructType transformSchema(StructType schema) {
      return schema.add("prediction", DataTypes.DoubleType);
    }

    @Override
    public WaitingModel copy(ParamMap extra) {
      return this;
    }
  }

  @Test
  void scoringThatWaits_countsOnlyItsCpu() {
    // 2,000 ms of sleep per 1,000 rows: a wall clock measures at least that.
    double ms = FitContext.predictMsPer1k(new WaitingModel(), rows);
    assertTrue(ms >= 0 && ms < 200, "predict_ms_per_1k_rows of a model that sleeps 2 ms a row: " + ms);
  }

  @Test
  void manyDeepTrees_costMoreThanOneStump() {
    RandomForestClassifier forest = new RandomForestClassifier().setSeed(7).setSubsamplingRate(0.5);
    Model<?> stump = forest.copy(new ParamMap()).setNumTrees(1).setMaxDepth(1).fit(rows);
    Model<?> large = forest.copy(new ParamMap()).setNumTrees(300).setMaxDepth(10).fit(rows);
    // Once each first, so that neither figure holds the JIT's first compilation of the scoring code.
    FitContext.predictMsPer1k(stump, rows);
    FitContext.predictMsPer1k(large, rows);
    double one = FitContext.predictMsPer1k(stump, rows);
    double many = FitContext.predictMsPer1k(large, rows);
    assertTrue(one > 0 && many > 3 * one, "1 stump " + one + " ms vs 300 trees of depth 10 " + many + " ms");
  }
}
