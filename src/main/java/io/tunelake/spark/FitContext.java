package io.tunelake.spark;

import io.tunelake.study.Suggestion;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every fitter of a study shares: the plan, the featurized folds, and how a suggestion
 * becomes an estimator, training rows and a validation score at its budget.
 */
final class FitContext {
  private static final Logger LOG = LoggerFactory.getLogger(FitContext.class);
  private static final String ROWS = "rows";

  final SparkSession spark;
  final SparkStudyPlan plan;
  final List<FoldData> folds;
  final long seed;
  final Clock clock;
  private final String resource;
  /** Tells this objective's job groups from another's with the same study and trial ids. */
  private final String runId;
  /** The tuned stages' outputs, fitted once per fold and setting and shared by the trials. */
  final StageCache stages;
  /** Fits of the untuned prefix every trial takes per fold instead of fitting them itself. */
  final int prefixFits;

  FitContext(SparkSession spark, SparkStudyPlan plan, List<FoldData> folds, long seed, Clock clock, String runId) {
    this.spark = spark;
    this.plan = plan;
    this.folds = List.copyOf(folds);
    this.seed = seed;
    this.clock = clock;
    this.resource = plan.spec().search().schedule().resource();
    this.runId = runId;
    this.stages = new StageCache(plan.pipeline(), jobGroup("stages"), StageCache.budget(spark));
    this.prefixFits = (int) java.util.Arrays.stream(plan.pipeline().prefix().getStages())
        .filter(st -> st instanceof Estimator<?>).count();
  }

  String study() {
    return plan.spec().study();
  }

  /** The name of a job group of this study: {@code tunelake-<study>-<what>-<run>}. */
  String jobGroup(String what) {
    return "tunelake-" + study() + "-" + what + "-" + runId;
  }

  /** Runs this thread's next Spark jobs in its own FAIR pool and in {@code group}, described for the UI. */
  void enterJobGroup(String group, String description) {
    var sc = spark.sparkContext();
    sc.setLocalProperty("spark.scheduler.pool", Thread.currentThread().getName());
    sc.setJobGroup(group, description, true);
  }

  /** Whether {@code s} is fitted on a sample of each fold's training rows (a reduced {@code rows} budget). */
  boolean sampled(Suggestion s) {
    return s.budget() < 1 && ROWS.equals(resource);
  }

  /** The rows {@code s} is fitted on in {@code fold}: all of them, or its budget's share. */
  Dataset<Row> train(Suggestion s, FoldData fold) {
    Dataset<Row> train = fold.train();
    return sampled(s) ? train.sample(false, s.budget(), seed + 31L * fold.index()) : train;
  }

  /** The params {@code s} is fitted with: its own, the iteration parameter scaled to its budget. */
  Map<String, Object> fittedParams(Suggestion s) {
    Map<String, Object> params = s.params();
    if (s.budget() < 1 && !ROWS.equals(resource)) {
      params = new LinkedHashMap<>(params);
      int full = ((Number) params.get(resource)).intValue();
      params.put(resource, Math.max(1, (int) Math.round(full * s.budget())));
    }
    return params;
  }

  /** The suggestion's estimator for {@code fold}, its iteration parameter scaled to its budget. */
  Estimator<?> estimator(Suggestion s, FoldData fold) {
    return estimator(s, fold.featureCount());
  }

  /** The suggestion's estimator for features {@code featureCount} wide, its iteration parameter scaled to its budget. */
  Estimator<?> estimator(Suggestion s, int featureCount) {
    return plan.pipeline().estimator(fittedParams(s), featureCount, plan.numClasses());
  }

  /** The study's metric of {@code run}'s {@code model} on the fold's validation rows; NaN is a failure. */
  double validationScore(TrialRun run, Model<?> model, FoldData fold) {
    return validationScore(run, model, fold.validation());
  }

  /**
   * The study's metric of {@code run}'s {@code model} on {@code validation}; NaN is a failure.
   * The scale of the model's raw scores, where the scoring pass sees it, goes to {@code run}.
   */
  double validationScore(TrialRun run, Model<?> model, Dataset<Row> validation) {
    SparkMetrics.Scored scored = SparkMetrics.scored(model.transform(validation), plan.pipeline().evaluator());
    if (Double.isNaN(scored.value())) {
      throw new IllegalStateException(plan.metric() + " is NaN on the validation rows");
    }
    run.rawScale(scored.rawScale());
    return scored.value();
  }

  /**
   * Scores {@code models} (one per run of {@code runs}, in order, each fitted in the seconds of
   * {@code fitSeconds}) on the fold's validation rows, in one job where the metric allows
   * ({@link SparkMetrics#scoresTogether}), else one by one, and reports each score with its
   * secondary metrics to {@code round}; a model whose scoring throws or gives NaN fails its own
   * trial only.
   */
  void score(List<TrialRun> runs, List<? extends Model<?>> models, List<Double> fitSeconds, FoldData fold,
      Round round) {
    List<SparkMetrics.Scored> together;
    try {
      together = SparkMetrics.scoresTogether(models, fold.validation(), plan.pipeline().evaluator());
    } catch (Throwable e) {
      runs.forEach(run -> round.threw(run, failure(fold, run, e), e));
      return;
    }
    for (int i = 0; i < runs.size(); i++) {
      TrialRun run = runs.get(i);
      try {
        SparkMetrics.Scored scored = together != null ? together.get(i)
            : SparkMetrics.scored(models.get(i).transform(fold.validation()), plan.pipeline().evaluator());
        double score = scored.value();
        if (Double.isNaN(score)) {
          throw new IllegalStateException(plan.metric() + " is NaN on the validation rows");
        }
        run.rawScale(scored.rawScale());
        run.secondary(fold.index(), secondary(models.get(i), fold.validation(), fitSeconds.get(i)), prefixFits);
        if (round.scored(run, fold.index(), score)) {
          LOG.debug("trial {} fold {}/{}: {}={}", run.trialId(), fold.index() + 1, fold.of(), plan.metric(),
              score);
        }
      } catch (Throwable e) {
        round.threw(run, failure(fold, run, e), e);
      }
    }
  }

  /**
   * The secondary metrics ({@code evaluation.also}, and the objectives, constraints and selection
   * rule besides the study's metric) of {@code model} on {@code validation}: evaluator metrics of
   * the task, the fit's wall time, the model's estimated size in bytes, the executor CPU
   * milliseconds its scoring of the validation rows took per 1,000 rows, and its size as saved.
   */
  Map<String, Double> secondary(Model<?> model, Dataset<Row> validation, double fitSeconds) {
    Map<String, Double> out = new LinkedHashMap<>();
    List<String> also = plan.pipeline().also();
    if (also.isEmpty()) {
      return out;
    }
    Dataset<Row> predictions = model.transform(validation);
    for (String name : also) {
      if (name.equals(SparkMetrics.FIT_SECONDS)) {
        out.put(name, fitSeconds);
      } else if (name.equals(SparkMetrics.MODEL_SIZE)) {
        out.put(name, (double) org.apache.spark.util.SizeEstimator.estimate(model));
      } else if (name.equals(SparkMetrics.PREDICT_MS)) {
        out.put(name, predictMsPer1k(model, validation));
      } else if (name.equals(SparkMetrics.MODEL_SIZE_BYTES)) {
        out.put(name, (double) savedBytes(model));
      } else {
        out.put(name, SparkMetrics.score(predictions, SparkMetrics.evaluator(plan.task(), name,
            plan.columns().label(), plan.pipeline().featuresCol())));
      }
    }
    return out;
  }

  /**
   * Executor CPU milliseconds per 1,000 rows to score {@code validation} (cached) with
   * {@code model}: each task times its own thread's CPU while it computes every output column of
   * its rows. That is the model's work and the read of the cached rows, and not the job's
   * scheduling nor the time its tasks waited for a core beside other trials' fits, which on a
   * busy executor outweighed the model's own work and ranked models by the load of the moment.
   */
  static double predictMsPer1k(Model<?> model, Dataset<Row> validation) {
    SparkContext sc = validation.sparkSession().sparkContext();
    LongAccumulator cpuNanos = sc.longAccumulator();
    LongAccumulator rows = sc.longAccumulator();
    model.transform(validation).foreachPartition((ForeachPartitionFunction<Row>) it -> {
      long start = threadCpuNanos();
      long n = 0;
      while (it.hasNext()) {
        it.next();
        n++;
      }
      cpuNanos.add(threadCpuNanos() - start);
      rows.add(n);
    });
    return cpuNanos.value() / 1e6 / (Math.max(1, rows.value()) / 1000.0);
  }

  /** The current thread's CPU time, or its wall clock on a JVM that does not measure thread CPU. */
  private static long threadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
    return cpu >= 0 ? cpu : System.nanoTime();
  }

  /** The bytes of every file {@code model} writes when saved, in a temporary directory deleted after. */
  static long savedBytes(Model<?> model) {
    if (!(model instanceof org.apache.spark.ml.util.MLWritable writable)) {
      throw new IllegalStateException(model.getClass().getSimpleName() + " cannot be saved, so "
          + SparkMetrics.MODEL_SIZE_BYTES + " cannot be measured");
    }
    java.nio.file.Path dir = null;
    try {
      dir = java.nio.file.Files.createTempDirectory("tunelake-model-size");
      java.nio.file.Path target = dir.resolve("model");
      writable.write().save(target.toUri().toString());
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(target)) {
        return files.filter(java.nio.file.Files::isRegularFile)
            .filter(f -> !f.getFileName().toString().endsWith(".crc"))
            .mapToLong(f -> f.toFile().length()).sum();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("measuring " + SparkMetrics.MODEL_SIZE_BYTES + " failed", e);
    } finally {
      if (dir != null) {
        org.apache.commons.io.FileUtils.deleteQuietly(dir.toFile());
      }
    }
  }

  String failure(FoldData fold, TrialRun run, Throwable e) {
    return String.format("fitting fold %d/%d of trial %d in study '%s' failed: %s", fold.index() + 1, fold.of(),
        run.trialId(), study(), SparkCrossValidation.rootMessage(e));
  }
}
