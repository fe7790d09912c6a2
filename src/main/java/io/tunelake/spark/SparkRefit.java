package io.tunelake.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The end of a study: the best assignment's pipeline fitted on every training row, scored on
 * the held-out rows that tuning never saw, and saved as one {@code PipelineModel}
 * (featurization and estimator) that {@code PipelineModel.load} reads back.
 */
public final class SparkRefit {

  /** The refitted model's held-out score (NaN when nothing was held out) and where it was saved. */
  public record Result(double testMetric, long testRows, String modelPath) {}

  private SparkRefit() {}

  /** Refits {@code params} on the split's training rows and saves the model to {@code modelPath}. */
  public static Result refit(SparkSession spark, SparkStudyPlan plan, SparkFolds.Split split,
      Map<String, Object> params, long seed, String modelPath) {
    return refit(spark, plan, split, params, seed, modelPath, UnaryOperator.identity());
  }

  /**
   * As {@link #refit(SparkSession, SparkStudyPlan, SparkFolds.Split, Map, long, String)}, the
   * estimator changed by {@code adjust} before it is fitted (a population-based study continues
   * from its best trial's weights).
   */
  static Result refit(SparkSession spark, SparkStudyPlan plan, SparkFolds.Split split,
      Map<String, Object> params, long seed, String modelPath, UnaryOperator<Estimator<?>> adjust) {
    String study = plan.spec().study();
    var sc = spark.sparkContext();
    sc.setJobGroup("tunelake-" + study + "-refit", "study '" + study + "': refit best " + params
        + " on all training rows", true);
    Dataset<Row> featurized = null;
    try (SparkScratch scratch = SparkScratch.create(spark, plan.spec().store().path(), study, "refit")) {
      Dataset<Row> train = split.train();
      StudyPipeline p = plan.pipeline();
      PipelineModel featurizer = p.prefix().fit(train);
      // The fit reads its rows some fifty times: from the scratch copy, with a fold's columns.
      Dataset<Row> transformed = SparkPipelines.keepFitted(plan, featurizer.transform(train));
      // The refit is the only fit running: it spreads over the slots when it has the rows for it.
      long rows = train.count();
      Dataset<Row> written = scratch.written("train", transformed, rows,
          SparkScratch.spread(rows, SparkSlots.taskSlots(spark)));
      List<Transformer> stages = new ArrayList<>(List.of(featurizer.stages()));
      for (int i = p.prefixLength(); i < p.stages().size(); i++) {
        PipelineStage stage = p.configured(i, params);
        Transformer model = stage instanceof Estimator<?> e ? (Transformer) e.fit(written) : (Transformer) stage;
        stages.add(model);
        written = model.transform(written);
      }
      int width = SparkPipelines.featureCount(written, p.featuresCol());
      Estimator<?> estimator = adjust.apply(p.estimator(params, width, plan.numClasses()));
      Model<?> model = null;
      if (p.prefixLength() == p.stages().size() && FusedLogistic.fuses(plan, estimator)
          && p.featuresCol().equals(SparkPipelines.FEATURES)) {
        model = fusedFit(spark, plan, (LogisticRegression) estimator, written);
      }
      if (model == null) {
        featurized = written.persist(StorageLevel.MEMORY_AND_DISK());
        model = (Model<?>) estimator.fit(featurized);
      }
      stages.add(model);
      PipelineModel pipeline = new PipelineModel("tunelake_" + study, stages);
      double testMetric = Double.NaN;
      long testRows = 0;
      if (plan.spec().data().testFraction() > 0) {
        Dataset<Row> test = split.test();
        testRows = test.count();
        if (testRows > 0) {
          testMetric = plan.score(pipeline.transform(test));
        }
      }
      try {
        pipeline.write().overwrite().save(modelPath);
      } catch (IOException e) {
        throw new IllegalStateException("saving the model of study '" + study + "' to " + modelPath + " failed: "
            + e.getMessage(), e);
      }
      return new Result(testMetric, testRows, modelPath);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while refitting study '" + study + "'", e);
    } finally {
      if (featurized != null) {
        featurized.unpersist();
      }
      sc.clearJobGroup();
    }
  }

  /**
   * {@code lr} fitted on {@code rows} as the trials' fits were, fused (one model, one fold),
   * which skips MLlib's per-step driver work as in the rounds; null when the rows hold one
   * class only, which MLlib fits on its own terms.
   */
  private static Model<?> fusedFit(SparkSession spark, SparkStudyPlan plan, LogisticRegression lr, Dataset<Row> rows)
      throws InterruptedException {
    try (FusedLogistic fused = FusedLogistic.prepare(spark, List.of(rows), plan.columns().label())) {
      if (!fused.bothClassesInEveryFold()) {
        return null;
      }
      FusedLogistic.Fitted fitted = fused.fit(List.of(new FusedLogistic.Fit(lr, 0))).get(0);
      if (fitted.model() == null) {
        throw new IllegalStateException("refitting the best trial of study '" + plan.spec().study()
            + "' on all training rows failed: " + fitted.error());
      }
      return fitted.model();
    }
  }
}
