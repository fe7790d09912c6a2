package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import io.tunelake.space.Categorical;
import io.tunelake.space.Domain;
import io.tunelake.spec.JobSpec;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.Normalizer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tuned stages' cached outputs stay within the cache budget: over it, the least recently used
 * setting is unpersisted and fitted again when a trial asks for it later.
 */
@ExtendWith(SparkTestSession.class)
class StageCacheTest {
  private static StudyPipeline pipeline(PrefixReuseTest.CountingPca pca) {
    VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"f1", "f2", "f3", "f4"})
        .setOutputCol("raw");
    pca.setInputCol("raw").setOutputCol("components");
    Normalizer normalizer = new Normalizer().setInputCol("components").setOutputCol("features");
    LogisticRegression lr = new LogisticRegression();
    Map<Param<?>, Domain> space = new LinkedHashMap<>();
    space.put(pca.k(), new Categorical("k", List.of(2, 3, 4)));
    return StudyPipeline.of(new Pipeline().setStages(new PipelineStage[] {assembler, pca, normalizer, lr}),
        new MulticlassClassificationEvaluator().setMetricName("accuracy"), space, Map.of());
  }

  private static SparkCrossValidation objective(StudyPipeline pipeline) {
    SparkSession spark = SparkTestSession.get();
    JobSpec spec = PrefixReuseTest.spec("stage-cache");
    Dataset<Row> data = SparkData.load(spark, spec.data());
    SparkStudyPlan plan = SparkStudyPlan.resolve(spec, data).withPipeline(pipeline);
    return SparkCrossValidation.prepare(spark, plan, SparkFolds.split(spark, plan, data, 42), 1, 42,
        Clock.systemUTC());
  }

  private static StageCache.Prepared prepare(StageCache cache, FoldData fold, int k) {
    return cache.prepare(fold, fold.train(), "all", Map.of("counting_pca.k", k));
  }

  @Test
  void overTheBudget_theLeastRecentlyUsedSettingIsUnpersisted_andFittedAgainWhenAskedFor() {
    PrefixReuseTest.CountingPca pca = new PrefixReuseTest.CountingPca("pca");
    StudyPipeline pipeline = pipeline(pca);
    try (SparkCrossValidation cv = objective(pipeline)) {
      FoldData fold = cv.folds().get(0);
      long twoSettings;
      try (StageCache unbounded = new StageCache(pipeline, "stage-cache-test", Long.MAX_VALUE)) {
        int before = PrefixReuseTest.PCA_FITS.get();
        StageCache.Prepared k2 = prepare(unbounded, fold, 2);
        prepare(unbounded, fold, 4);
        assertEquals(1, prepare(unbounded, fold, 2).reused(), "k = 2 comes from the cache");
        assertEquals(2, PrefixReuseTest.PCA_FITS.get() - before);
        assertNotEquals(StorageLevel.NONE(), k2.train().storageLevel());
        twoSettings = unbounded.cachedBytes();
        assertTrue(twoSettings > 0, "the cached outputs have a size");
      }

      // Room for two settings: using k = 2 again makes k = 4 the least recently used.
      try (StageCache cache = new StageCache(pipeline, "stage-cache-test", twoSettings)) {
        int before = PrefixReuseTest.PCA_FITS.get();
        prepare(cache, fold, 2);
        StageCache.Prepared k4 = prepare(cache, fold, 4);
        assertEquals(1, prepare(cache, fold, 2).reused());
        prepare(cache, fold, 3);
        assertEquals(3, PrefixReuseTest.PCA_FITS.get() - before);
        assertEquals(StorageLevel.NONE(), k4.train().storageLevel(), "k = 4 was evicted");
        assertTrue(cache.cachedBytes() <= twoSettings, cache.cachedBytes() + " > " + twoSettings);
        assertEquals(1, prepare(cache, fold, 2).reused(), "k = 2, used recently, stayed");
        assertEquals(0, prepare(cache, fold, 4).reused(), "k = 4 is fitted again");
        assertEquals(4, PrefixReuseTest.PCA_FITS.get() - before);
      }

      // A budget smaller than any output keeps only the newest.
      try (StageCache tiny = new StageCache(pipeline, "stage-cache-test", 1)) {
        int before = PrefixReuseTest.PCA_FITS.get();
        StageCache.Prepared k2 = prepare(tiny, fold, 2);
        StageCache.Prepared k4 = prepare(tiny, fold, 4);
        assertEquals(StorageLevel.NONE(), k2.train().storageLevel());
        assertNotEquals(StorageLevel.NONE(), k4.train().storageLevel());
        assertEquals(0, prepare(tiny, fold, 2).reused());
        assertEquals(3, PrefixReuseTest.PCA_FITS.get() - before);
        assertTrue(k2.train().count() > 0, "an evicted output's rows are recomputed when read");
      }
    }
  }
}
