package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.space.Categorical;
import io.tunelake.space.Domain;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.JobSpecParser;
import io.tunelake.study.Evaluation;
import io.tunelake.study.Suggestion;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.Normalizer;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.PCAModel;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The fit counts of a study whose pipeline tunes a feature stage: each distinct prefix is fitted once per fold. */
@ExtendWith(SparkTestSession.class)
class PrefixReuseTest {
  static final Path DATA = SparkTestSession.dataFile("sample_multiclass_classification_data.csv");
  static final AtomicInteger SCALER_FITS = new AtomicInteger();
  static final AtomicInteger PCA_FITS = new AtomicInteger();
  static final AtomicInteger LR_FITS = new AtomicInteger();

  /** MLlib's StandardScaler, counting its fits. Public with a uid constructor, as MLlib's copy needs. */
  public static final class CountingScaler extends StandardScaler {
    public CountingScaler(String uid) {
      super(uid);
    }

    @Override
    public StandardScalerModel fit(Dataset<?> data) {
      SCALER_FITS.incrementAndGet();
      return super.fit(data);
    }
  }

  /** MLlib's PCA, counting its fits. */
  public static final class CountingPca extends PCA {
    public CountingPca(String uid) {
      super(uid);
    }

    @Override
    public PCAModel fit(Dataset<?> data) {
      PCA_FITS.incrementAndGet();
      return super.fit(data);
    }
  }

  /** MLlib's LogisticRegression, counting its fits. */
  public static final class CountingLogistic extends LogisticRegression {
    public CountingLogistic(String uid) {
      super(uid);
    }

    @Override
    public LogisticRegressionModel fit(Dataset<?> data) {
      LR_FITS.incrementAndGet();
      return super.fit(data);
    }
  }

  /** A 3-fold study of the multiclass sample, one fit at a time, whose pipeline a test puts in. */
  static JobSpec spec(String study) {
    return JobSpecParser.parse(String.join("\n",
        "study: " + study,
        "data: {path: '" + DATA + "', test_fraction: 0}",
        "estimator: logistic_regression",
        "space: {regParam: [0.0]}",
        "evaluation: {folds: 3, metric: accuracy}",
        "search: {pruning: false, fused_fits: false}",
        ""), List.of());
  }

  @Test
  void threeFolds_twoPcaSizes_fourRegParams_fitThePrefix3_pca6_andTheEstimator24Times() {
    SparkSession spark = SparkTestSession.get();
    // Other tests of the JVM count with these stages too.
    SCALER_FITS.set(0);
    PCA_FITS.set(0);
    LR_FITS.set(0);
    JobSpec spec = spec("prefix-reuse");
    Dataset<Row> data = SparkData.load(spark, spec.data());
    VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"f1", "f2", "f3", "f4"})
        .setOutputCol("raw");
    CountingScaler scaler = new CountingScaler("scaler");
    scaler.setInputCol("raw").setOutputCol("scaled");
    CountingPca pca = new CountingPca("pca");
    pca.setInputCol("scaled").setOutputCol("components");
    // An untuned stage after the tuned one: fitted with it, per setting, not per trial.
    Normalizer normalizer = new Normalizer().setInputCol("components").setOutputCol("features");
    CountingLogistic lr = new CountingLogistic("lr");
    lr.setMaxIter(5);
    Map<Param<?>, Domain> space = new LinkedHashMap<>();
    space.put(pca.k(), new Categorical("k", List.of(2, 4)));
    space.put(lr.regParam(), new Categorical("regParam", List.of(0.0, 0.01, 0.1, 1.0)));
    Pipeline user = new Pipeline().setStages(new PipelineStage[] {assembler, scaler, pca, normalizer, lr});
    StudyPipeline pipeline = StudyPipeline.of(user,
        new MulticlassClassificationEvaluator().setMetricName("accuracy"), space, Map.of());
    SparkStudyPlan plan = SparkStudyPlan.resolve(spec, data).withPipeline(pipeline);
    assertEquals(2, pipeline.prefixLength(), "the assembler and the scaler are not tuned");

    List<Suggestion> round = new ArrayList<>();
    for (int k : List.of(2, 4)) {
      for (double reg : List.of(0.0, 0.01, 0.1, 1.0)) {
        round.add(new Suggestion(round.size() + 1, 1, Map.of("counting_pca.k", k, "regParam", reg)));
      }
    }
    try (SparkCrossValidation cv = SparkCrossValidation.prepare(spark, plan, SparkFolds.split(spark, plan, data, 42),
        2, 42, Clock.systemUTC())) {
      List<Evaluation> results = cv.evaluate(round, List.of());
      results.forEach(e -> assertEquals(TrialStatus.COMPLETE, e.status(), e.error()));
      assertEquals(3, SCALER_FITS.get(), "the untuned prefix: once per fold");
      assertEquals(6, PCA_FITS.get(), "PCA: once per fold and k");
      assertEquals(24, LR_FITS.get(), "the estimator: once per trial and fold");
      // Every trial reuses the scaler on each fold; of the four trials per (fold, k) three reuse the PCA.
      int reused = results.stream().mapToInt(Evaluation::stageFitsReused).sum();
      assertEquals(8 * 3 + 3 * 2 * 3, reused);
      results.forEach(e -> assertTrue(e.stageFitsReused() >= 3, "trial " + e.trialId()));

      // A later round with the same PCA settings reuses the cached PCA outputs.
      List<Suggestion> next = List.of(new Suggestion(9, 2, Map.of("counting_pca.k", 2, "regParam", 0.5)),
          new Suggestion(10, 2, Map.of("counting_pca.k", 4, "regParam", 0.5)));
      List<Evaluation> later = cv.evaluate(next, List.of());
      later.forEach(e -> assertEquals(TrialStatus.COMPLETE, e.status(), e.error()));
      assertEquals(6, PCA_FITS.get(), "no PCA is fitted again");
      assertEquals(30, LR_FITS.get());
      later.forEach(e -> assertEquals(3 + 3, e.stageFitsReused(), "trial " + e.trialId()));
    }
  }
}
