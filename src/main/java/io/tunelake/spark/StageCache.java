package io.tunelake.spark;

import java.util.ArrayList;
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
import org.apache.spark.storage.StorageLevel;

/**
 * The stages of a study's pipeline after its untuned prefix, fitted once per fold per distinct
 * setting of themselves and every stage before them, their output cached and shared by every
 * trial (of the round and of later rounds) with that setting.
 *
 * <p>A shared fit runs in its own job group, not in the trial's that asked first: pruning that
 * trial must not cancel the rows other trials are waiting for.
 */
final class StageCache implements AutoCloseable {
  /** One stage fitted on a fold: its model and both sides transformed by it, cached. */
  private record Output(Transformer model, Dataset<Row> train, Dataset<Row> validation) {}

  /**
   * A fold's rows as the estimator of one trial reads them, the stage models that made them,
   * and how many of those fits came from the cache.
   */
  record Prepared(Dataset<Row> train, Dataset<Row> validation, List<Transformer> models, int reused) {}

  private final StudyPipeline pipeline;
  private final String jobGroupPrefix;
  private final Map<String, CompletableFuture<Output>> outputs = new ConcurrentHashMap<>();

  StageCache(StudyPipeline pipeline, String jobGroupPrefix) {
    this.pipeline = pipeline;
    this.jobGroupPrefix = jobGroupPrefix;
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
          } catch (RuntimeException e) {
            outputs.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
          }
        } else {
          try {
            out = existing.join();
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
      return new Output(model, tr, va);
    } finally {
      if (group != null) {
        sc.setJobGroup(group, description, true);
      } else {
        sc.clearJobGroup();
      }
    }
  }

  /** Drops every cached output. */
  @Override
  public void close() {
    for (CompletableFuture<Output> f : outputs.values()) {
      Output o = f.getNow(null);
      if (o != null) {
        o.train().unpersist();
        o.validation().unpersist();
      }
    }
    outputs.clear();
  }
}
