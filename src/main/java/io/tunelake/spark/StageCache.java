package io.tunelake.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The stages of a study's pipeline after its untuned prefix, fitted once per fold per distinct
 * setting of themselves and every stage before them, their output cached and shared by every
 * trial (of the round and of later rounds) with that setting.
 *
 * <p>A shared fit runs in its own job group, not in the trial's that asked first: pruning that
 * trial must not cancel the rows other trials are waiting for.
 *
 * <p>The cached outputs are held within a byte budget ({@value #BUDGET_CONF}; by default half of
 * the memory Spark has for caching, so the study's cached folds keep their place): when a new
 * output takes the total over it, the least recently used outputs are unpersisted and forgotten,
 * and a later trial with such a setting fits it again. The newest output is kept whatever its size,
 * as the trials that asked for it are about to read it.
 */
final class StageCache implements AutoCloseable {
  /** The Spark setting that bounds the cached outputs' bytes. */
  static final String BUDGET_CONF = "spark.tunelake.stageCache.maxBytes";

  /** One stage fitted on a fold: its model and both sides transformed by it, cached, and their size. */
  private record Output(Transformer model, Dataset<Row> train, Dataset<Row> validation, long bytes) {
    void unpersist() {
      train.unpersist();
      validation.unpersist();
    }
  }

  /**
   * A fold's rows as the estimator of one trial reads them, the stage models that made them,
   * and how many of those fits came from the cache.
   */
  record Prepared(Dataset<Row> train, Dataset<Row> validation, List<Transformer> models, int reused) {}

  private final StudyPipeline pipeline;
  private final String jobGroupPrefix;
  private final Map<String, CompletableFuture<Output>> outputs = new ConcurrentHashMap<>();
  private final long budgetBytes;
  /** The fitted outputs in use order, least recent first; guarded by itself. */
  private final LinkedHashMap<String, Output> recency = new LinkedHashMap<>(16, 0.75f, true);
  private long cachedBytes;

  StageCache(StudyPipeline pipeline, String jobGroupPrefix, long budgetBytes) {
    this.pipeline = pipeline;
    this.jobGroupPrefix = jobGroupPrefix;
    this.budgetBytes = budgetBytes;
  }

  /** The budget of {@code spark}: {@value #BUDGET_CONF} when set, else half its memory for caching. */
  static long budget(SparkSession spark) {
    var sc = spark.sparkContext();
    if (sc.getConf().contains(BUDGET_CONF)) {
      return sc.getConf().getSizeAsBytes(BUDGET_CONF);
    }
    long storage = 0;
    for (var status : CollectionConverters.asJava(sc.getExecutorMemoryStatus()).values()) {
      storage += (Long) status._1();
    }
    return storage / 2;
  }

  /** Whether every trial fits its estimator straight on the prefix's output. */
  boolean isEmpty() {
    return pipeline.prefixLength() == pipeline.stages().size();
  }

  /**
   * The stages after the prefix for {@code params}, on fold {@code fold} whose training rows are
   * {@code train} ({@code trainKey} tells a reduced-budget sample from the whole fold).
   */
  Prepared prepare(FoldData fold, Dataset<Row> train, String trainKey, Map<String, Object> params) {
    Dataset<Row> tr = train;
    Dataset<Row> va = fold.validation();
    List<Transformer> models = new ArrayList<>();
    int reused = 0;
    for (int i = pipeline.prefixLength(); i < pipeline.stages().size(); i++) {
      String key = fold.index() + "|" + trainKey + "|" + i + "|" + pipeline.setting(i, params);
      Output out = null;
      // A shared fit that failed (say, cancelled by the race) is forgotten and fitted again once.
      for (int attempt = 0; out == null; attempt++) {
        CompletableFuture<Output> mine = new CompletableFuture<>();
        CompletableFuture<Output> existing = outputs.putIfAbsent(key, mine);
        if (existing == null) {
          try {
            out = fit(i, params, tr, va, key);
            mine.complete(out);
            admit(key, out);
          } catch (RuntimeException e) {
            outputs.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
          }
        } else {
          try {
            out = existing.join();
            used(key);
            if (pipeline.stages().get(i).stage() instanceof Estimator<?>) {
              reused++;
            }
          } catch (CompletionException e) {
            outputs.remove(key, existing);
            if (attempt > 0) {
              throw e.getCause() instanceof RuntimeException r ? r : e;
            }
          }
        }
      }
      tr = out.train();
      va = out.validation();
      models.add(out.model());
    }
    return new Prepared(tr, va, models, reused);
  }

  private Output fit(int i, Map<String, Object> params, Dataset<Row> train, Dataset<Row> validation, String key) {
    var sc = train.sparkSession().sparkContext();
    String group = sc.getLocalProperty("spark.jobGroup.id");
    String description = sc.getLocalProperty("spark.job.description");
    sc.setJobGroup(jobGroupPrefix + "-stage-" + pipeline.stages().get(i).name(), "fit stage '"
        + pipeline.stages().get(i).name() + "' for " + key, true);
    try {
      PipelineStage stage = pipeline.configured(i, params);
      Transformer model = stage instanceof Estimator<?> e ? (Transformer) e.fit(train) : (Transformer) stage;
      Dataset<Row> tr = model.transform(train).persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> va = model.transform(validation).persist(StorageLevel.MEMORY_AND_DISK());
      tr.count();
      va.count();
      return new Output(model, tr, va, cachedSize(tr) + cachedSize(va));
    } finally {
      if (group != null) {
        sc.setJobGroup(group, description, true);
      } else {
        sc.clearJobGroup();
      }
    }
  }

  /** The bytes Spark holds for {@code cached}, a persisted and materialised Dataset. */
  private static long cachedSize(Dataset<Row> cached) {
    // A cached plan's statistics are the sizes of its cached blocks once they are built.
    return cached.alias("stage_output").queryExecution().optimizedPlan().stats().sizeInBytes().longValue();
  }

  private void used(String key) {
    synchronized (recency) {
      recency.get(key);
    }
  }

  /** Adds a new output and evicts the least recently used others while the total is over the budget. */
  private void admit(String key, Output out) {
    List<Output> evicted = new ArrayList<>();
    synchronized (recency) {
      recency.put(key, out);
      cachedBytes += out.bytes();
      var it = recency.entrySet().iterator();
      while (cachedBytes > budgetBytes && recency.size() > 1) {
        var oldest = it.next(); // never the new one: it is the most recent
        it.remove();
        cachedBytes -= oldest.getValue().bytes();
        outputs.remove(oldest.getKey());
        evicted.add(oldest.getValue());
      }
    }
    // A trial still reading an evicted output recomputes its rows from their lineage.
    evicted.forEach(Output::unpersist);
  }

  /** The bytes of the outputs held now (for tests). */
  long cachedBytes() {
    synchronized (recency) {
      return cachedBytes;
    }
  }

  /** Drops every cached output. */
  @Override
  public void close() {
    for (CompletableFuture<Output> f : outputs.values()) {
      Output o = f.getNow(null);
      if (o != null) {
        o.unpersist();
      }
    }
    outputs.clear();
    synchronized (recency) {
      recency.clear();
      cachedBytes = 0;
    }
  }
}
