package io.tunelake.spark;

import io.tunelake.optimize.TrialStatus;
import io.tunelake.study.Evaluation;
import io.tunelake.study.Objective;
import io.tunelake.study.Suggestion;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark side of {@link Objective}: cross-validates the trials of a batch concurrently over
 * folds that were split, featurized and cached once per study.
 *
 * <p>Each (trial, fold) fit is a unit of work on a bounded pool of driver threads, queued fold
 * by fold so every trial's first fold runs before any trial's second. Each unit is a normal
 * Spark job in its own FAIR pool, with the job group {@code tunelake-<study>-trial-<id>} and a
 * description naming study, trial and fold, so the Spark UI shows what runs and a trial's jobs
 * can be cancelled as a group. A unit that throws marks its trial FAILED with the message,
 * and the trial's remaining folds are skipped; the other trials go on.
 */
public final class SparkCrossValidation implements Objective, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SparkCrossValidation.class);

  private final SparkSession spark;
  private final SparkStudyPlan plan;
  private final List<FoldData> folds;
  private final Evaluator evaluator;
  private final ExecutorService pool;
  private final long seed;
  private final Clock clock;

  private SparkCrossValidation(SparkSession spark, SparkStudyPlan plan, List<FoldData> folds, ExecutorService pool,
      long seed, Clock clock) {
    this.spark = spark;
    this.plan = plan;
    this.folds = List.copyOf(folds);
    this.pool = pool;
    this.seed = seed;
    this.clock = clock;
    this.evaluator = SparkMetrics.evaluator(plan.task(), plan.metric(), plan.columns().label(),
        SparkPipelines.FEATURES);
  }

  /**
   * Featurizes every fold of {@code split} (the folds concurrently, on the same pool the trials
   * will use) and returns the objective ready to evaluate batches.
   */
  public static SparkCrossValidation prepare(SparkSession spark, SparkStudyPlan plan, SparkFolds.Split split,
      int parallelism, long seed, Clock clock) {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "tunelake-fit-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    List<Future<FoldData>> futures = new ArrayList<>();
    for (int i = 0; i < split.folds(); i++) {
      int fold = i;
      futures.add(pool.submit(() -> featurize(spark, plan, split, fold)));
    }
    List<FoldData> folds = new ArrayList<>();
    try {
      for (Future<FoldData> f : futures) {
        folds.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
      throw new IllegalStateException("interrupted while featurizing folds", e);
    } catch (ExecutionException e) {
      pool.shutdownNow();
      folds.forEach(FoldData::release);
      throw new IllegalStateException("featurizing the folds of study '" + plan.spec().study() + "' failed: "
          + rootMessage(e.getCause()), e.getCause());
    }
    return new SparkCrossValidation(spark, plan, folds, pool, seed, clock);
  }

  private static FoldData featurize(SparkSession spark, SparkStudyPlan plan, SparkFolds.Split split, int i) {
    String study = plan.spec().study();
    int k = split.folds();
    spark.sparkContext().setJobGroup("tunelake-" + study + "-featurize", String.format(
        "study '%s': featurize fold %d/%d", study, i + 1, k), true);
    try {
      Dataset<Row> train = split.trainOf(i);
      Dataset<Row> validation = split.validationOf(i);
      PipelineModel featurizer = SparkPipelines.featurizer(plan).fit(train);
      Column[] keep = SparkPipelines.fittedColumns(plan).stream().map(Column::new).toArray(Column[]::new);
      Dataset<Row> ft = featurizer.transform(train).select(keep).persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> fv = featurizer.transform(validation).select(keep).persist(StorageLevel.MEMORY_AND_DISK());
      long trainRows = ft.count();
      long validationRows = fv.count();
      if (trainRows == 0 || validationRows == 0) {
        throw new IllegalStateException(String.format("fold %d/%d has %d training and %d validation rows; every "
            + "fold needs both (too few rows for %d folds?)", i + 1, k, trainRows, validationRows, k));
      }
      LOG.debug("fold {}/{}: {} training rows, {} validation rows", i + 1, k, trainRows, validationRows);
      return new FoldData(i, k, featurizer, ft, fv, SparkPipelines.featureCount(ft));
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  @Override
  public List<Evaluation> evaluate(List<Suggestion> batch) {
    List<TrialRun> runs = new ArrayList<>();
    for (Suggestion s : batch) {
      runs.add(new TrialRun(s, folds.size()));
    }
    List<Future<?>> units = new ArrayList<>();
    for (FoldData fold : folds) {
      for (TrialRun run : runs) {
        units.add(pool.submit(() -> runUnit(run, fold)));
      }
    }
    for (Future<?> u : units) {
      try {
        u.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        units.forEach(f -> f.cancel(true));
        runs.forEach(r -> spark.sparkContext().cancelJobGroup(r.group()));
        throw new IllegalStateException("interrupted while evaluating a round", e);
      } catch (ExecutionException e) {
        // runUnit catches everything a fit throws; reaching here is a bug in the unit itself.
        throw new IllegalStateException(e.getCause());
      }
    }
    List<Evaluation> out = new ArrayList<>();
    for (TrialRun r : runs) {
      out.add(r.toEvaluation(clock));
    }
    return out;
  }

  private void runUnit(TrialRun run, FoldData fold) {
    if (run.failed()) {
      return;
    }
    String study = plan.spec().study();
    int trialId = run.suggestion.trialId();
    var sc = spark.sparkContext();
    sc.setLocalProperty("spark.scheduler.pool", Thread.currentThread().getName());
    sc.setJobGroup(run.group(), String.format("study '%s': trial %d, fold %d/%d %s", study, trialId,
        fold.index() + 1, fold.of(), run.suggestion.params()), true);
    run.started(clock.instant());
    try {
      Estimator<?> est = SparkPipelines.estimator(plan, run.suggestion.params(), fold.featureCount(), seed);
      Model<?> model = (Model<?>) est.fit(fold.train());
      double score = evaluator.copy(ParamMap.empty()).evaluate(model.transform(fold.validation()));
      if (Double.isNaN(score)) {
        throw new IllegalStateException(plan.metric() + " is NaN on the validation rows");
      }
      run.scored(fold.index(), score, clock.instant());
      LOG.debug("trial {} fold {}/{}: {}={}", trialId, fold.index() + 1, fold.of(), plan.metric(), score);
    } catch (Throwable e) {
      String message = String.format("fitting fold %d/%d of trial %d in study '%s' failed: %s", fold.index() + 1,
          fold.of(), trialId, study, rootMessage(e));
      run.fail(message, clock.instant());
      LOG.debug(message, e);
    } finally {
      sc.clearJobGroup();
    }
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : ": " + SparkData.firstLine(m));
  }

  /** Drops the cached folds and stops the pool. */
  @Override
  public void close() {
    pool.shutdownNow();
    folds.forEach(FoldData::release);
  }

  /** The fold scores of one trial as its units finish, possibly on several threads. */
  private final class TrialRun {
    final Suggestion suggestion;
    final double[] scores;
    private Instant start;
    private Instant end;
    private String error;

    TrialRun(Suggestion suggestion, int folds) {
      this.suggestion = suggestion;
      this.scores = new double[folds];
      Arrays.fill(scores, Double.NaN);
    }

    String group() {
      return "tunelake-" + plan.spec().study() + "-trial-" + suggestion.trialId();
    }

    synchronized boolean failed() {
      return error != null;
    }

    synchronized void started(Instant t) {
      if (start == null || t.isBefore(start)) {
        start = t;
      }
    }

    synchronized void scored(int fold, double score, Instant t) {
      scores[fold] = score;
      finished(t);
    }

    synchronized void fail(String message, Instant t) {
      if (error == null) {
        error = message;
      }
      finished(t);
    }

    private void finished(Instant t) {
      if (end == null || t.isAfter(end)) {
        end = t;
      }
    }

    synchronized Evaluation toEvaluation(Clock clock) {
      Instant s = start == null ? clock.instant() : start;
      Instant e = end == null ? s : end;
      List<Double> done = new ArrayList<>();
      for (double v : scores) {
        if (!Double.isNaN(v)) {
          done.add(v);
        }
      }
      if (error != null) {
        return new Evaluation(suggestion.trialId(), TrialStatus.FAILED, done, 1.0, s, e, error);
      }
      return Evaluation.complete(suggestion.trialId(), done, s, e);
    }
  }
}
