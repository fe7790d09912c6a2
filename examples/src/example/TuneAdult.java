package example;

import io.tunelake.ParamSpace;
import io.tunelake.TuneLakeValidator;
import io.tunelake.TunedModel;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark application of a user's own that tunes its pipeline through TuneLake's API.
 *
 * <pre>
 * examples/build
 * spark-submit --class example.TuneAdult --jars target/tunelake-0.1.0.jar \
 *   target/examples/tunelake-example.jar data/adult.csv ./warehouse/tunelake
 * </pre>
 */
public final class TuneAdult {
  private TuneAdult() {}

  public static void main(String[] args) {
    String data = args.length > 0 ? args[0] : "data/adult.csv";
    String store = args.length > 1 ? args[1] : "./warehouse/tunelake";
    // TuneLake's tables are Delta tables: the session needs Delta's extension and catalog, as any Delta job does.
    SparkSession spark = SparkSession.builder().appName("tune-adult")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    Dataset<Row> adult = spark.read().option("header", "true").option("inferSchema", "true").csv(data)
        .selectExpr("CAST(age AS DOUBLE) age", "CAST(education_num AS DOUBLE) education_num",
            "CAST(hours_per_week AS DOUBLE) hours_per_week", "CAST(label AS DOUBLE) label");
    Dataset<Row>[] parts = adult.randomSplit(new double[] {0.8, 0.2}, 1);

    VectorAssembler assembler = new VectorAssembler()
        .setInputCols(new String[] {"age", "education_num", "hours_per_week"}).setOutputCol("raw");
    StandardScaler scaler = new StandardScaler().setInputCol("raw").setOutputCol("features");
    LogisticRegression lr = new LogisticRegression().setMaxIter(20);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, scaler, lr});

    TunedModel tuned = new TuneLakeValidator()
        .setEstimator(pipeline)
        .setEvaluator(new BinaryClassificationEvaluator())
        .setSearchSpace(ParamSpace.builder()
            .logUniform(lr.regParam(), 1e-4, 1.0)
            .uniform(lr.elasticNetParam(), 0.0, 1.0)
            .build())
        .setAlgorithm("random")
        .setTrials(4)
        .setBatchSize(2)
        .setNumFolds(2)
        .setStudy("example-adult")
        .setStorePath(store)
        .fit(parts[0]);

    double auc = new BinaryClassificationEvaluator().evaluate(tuned.transform(parts[1]));
    System.out.printf("best %s = %.4f with %s; held-out areaUnderROC %.4f; %d trials in %s%n",
        tuned.metricName(), tuned.bestMetric(), tuned.bestParams(), auc, tuned.trials().count(), store);
    spark.stop();
  }
}
