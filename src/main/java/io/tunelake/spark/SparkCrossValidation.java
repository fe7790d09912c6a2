package io.tunelake.spark;

import io.tunelake.optimize.pbt.PbtAlgorithm;
import io.tunelake.optimize.pbt.Population;
import io.tunelake.spec.JobSpec;
import io.tunelake.study.Evaluation;
import io.tunelake.study.FoldRace;
import io.tunelake.study.Trial;
import io.tunelake.study.Objective;
import io.tunelake.study.Suggestion;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.PipelineModel;
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
 * <p>How the trials are fitted is a {@link Fitter} chosen once per study: one MLlib fit per
 * (trial, fold) ({@link SingleFitter}); with {@code search.fused_fits} (the default) a round's
 * logistic regressions in lockstep ({@link FusedLogisticFitter}) and gradient-boosted trees
 * that differ only in {@code maxIter} from one boosting run per fold ({@link SharedPrefixFitter}).
 * In every case the work runs on a bounded pool of driver threads, each Spark job in its
 * thread's FAIR pool and in a job group named after its study and trial (or trials) with a
 * description naming study, trials and fold, so the Spark UI shows what runs and a lone
 * trial's jobs can be cancelled as a group. A fit that throws an exception marks its trial
 * FAILED with the message, and the trial's remaining folds are skipped; the other trials go on.
 * A round that cannot be evaluated at all is abandoned and {@link #evaluate} throws (the rule is
 * {@link Round}'s, the same for every fitter).
 *
 * <p>With pruning on ({@code search.pruning}), every fold score goes to a {@link FoldRace}; a
 * trial it prunes has its running fits cancelled and its remaining folds skipped, and is
 * reported PRUNED with the folds it reached. A suggestion below full budget is fitted on that
 * fraction of each fold's training rows, or with its iteration parameter scaled down
 * ({@code search.scheduler.resource}); it is always scored on the whole validation fold.
 */
public final class SparkCrossValidation implements Objective, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SparkCrossValidation.class);
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final FitContext ctx;
  private final ExecutorService pool;
  private final SparkScratch scratch;
  private final FoldRace.Rule rule;
  /** How the trials are fitted: chosen once, when the folds are prepared. */
  private final Fitter fitter;
  /** The raw-score scale of each trial of the last round, for its {@link #warning}. */
  private final Map<Integer, Double> rawScales = new java.util.concurrent.ConcurrentHashMap<>();

  private SparkCrossValidation(FitContext ctx, ExecutorService pool, SparkScratch scratch, Fitter fitter) {
    this.ctx = ctx;
    this.pool = pool;
    this.scratch = scratch;
    JobSpec.Search search = ctx.plan.spec().search();
    this.rule = search.pruning().enabled() ? new FoldRace.Rule(true, search.pruning().confidence()) : FoldRace.Rule.OFF;
    this.fitter = fitter;
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
    SparkScratch scratch = SparkScratch.create(spark, plan.spec().store().path(), plan.spec().study());
    boolean fuses = fusesAny(plan);
    long[][] sizes;
    try {
      spark.sparkContext().setJobGroup("tunelake-" + plan.spec().study() + "-featurize",
          "study '" + plan.spec().study() + "': count the rows of every fold", true);
      sizes = split.sizes();
    } finally {
      spark.sparkContext().clearJobGroup();
    }
    List<Future<FoldData>> futures = new ArrayList<>();
    for (int i = 0; i < split.folds(); i++) {
      int fold = i;
      futures.add(pool.submit(() -> featurize(spark, plan, split, fold, sizes[fold], scratch, !fuses)));
    }
    List<FoldData> folds = new ArrayList<>();
    try {
      for (Future<FoldData> f : futures) {
        folds.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
      scratch.close();
      throw new IllegalStateException("interrupted while featurizing folds", e);
    } catch (ExecutionException e) {
      pool.shutdownNow();
      folds.forEach(FoldData::release);
      scratch.close();
      throw new IllegalStateException("featurizing the folds of study '" + plan.spec().study() + "' failed: "
          + rootMessage(e.getCause()), e.getCause());
    }
    FitContext ctx = new FitContext(spark, plan, folds, seed, clock, Integer.toString(RUNS.incrementAndGet()));
    Fitter single = new SingleFitter(ctx);
    Fitter fitter = single;
    if (PbtAlgorithm.NAME.equals(plan.spec().search().algorithm())) {
      fitter = new PopulationFitter(ctx, new SparkWeights(spark, plan.spec().store().path(), plan.spec().study()),
          Population.Settings.of(plan.spec().search().options()).stepIterations());
    } else if (boostsAny(plan)) {
      fitter = new SharedPrefixFitter(ctx, single);
    } else if (fuses) {
      FusedLogistic fused;
      try {
        spark.sparkContext().setJobGroup("tunelake-" + plan.spec().study() + "-featurize",
            "study '" + plan.spec().study() + "': pack the folds for fused logistic regression", true);
        fused = FusedLogistic.prepare(spark, folds.stream().map(FoldData::train).toList(),
            plan.columns().label());
      } finally {
        spark.sparkContext().clearJobGroup();
      }
      if (fused.bothClassesInEveryFold()) {
        // A lockstep group per fit thread, so one group's driver work overlaps the others' tasks
        // (cores busy with two and four groups: docs/BENCHMARKS.md).
        fitter = new FusedLogisticFitter(ctx, fused, single, parallelism);
      } else {
        fused.close();
        folds.forEach(f -> f.train().persist(StorageLevel.MEMORY_AND_DISK()));
      }
    }
    return new SparkCrossValidation(ctx, pool, scratch, fitter);
  }

  /**
   * Fits fold {@code i}'s featurizer on its training rows ({@code size}: how many rows each
   * side has) and writes both sides, featurized, to
   * the scratch directory. The validation rows are cached; the training rows too unless
   * {@code cacheTrain} is false: fused fits read them once, to pack them, and at 4M rows the
   * cached folds and the packed blocks together did not fit in a 4 GB driver. A fit that is
   * not fused after all (a reduced rows budget) reads its fold from the files.
   */
  private static FoldData featurize(SparkSession spark, SparkStudyPlan plan, SparkFolds.Split split, int i,
      long[] size, SparkScratch scratch, boolean cacheTrain) {
    String study = plan.spec().study();
    int k = split.folds();
    spark.sparkContext().setJobGroup("tunelake-" + study + "-featurize", String.format(
        "study '%s': featurize fold %d/%d", study, i + 1, k), true);
    try {
      Dataset<Row> train = split.trainOf(i);
      Dataset<Row> validation = split.validationOf(i);
      long trainRows = size[0];
      long validationRows = size[1];
      if (trainRows == 0 || validationRows == 0) {
        throw new IllegalStateException(String.format("fold %d/%d has %d training and %d validation rows; every "
            + "fold needs both (too few rows for %d folds?)", i + 1, k, trainRows, validationRows, k));
      }
      // The labels' chance levels: one small aggregate per side (the row counts come with the split).
      SparkDivergence.Baseline baseline = SparkDivergence.baseline(plan, train, validation);
      PipelineModel featurizer = plan.pipeline().prefix().fit(train);
      Dataset<Row> featurized = SparkPipelines.keepFitted(plan, featurizer.transform(train));
      // Concurrent fits share the slots, so each fold's fits need no more tasks than its size asks.
      Dataset<Row> ft = cacheTrain ? scratch.materialise("fold-" + i + "-train", featurized, trainRows, 1)
          : scratch.written("fold-" + i + "-train", featurized, trainRows, 1);
      Dataset<Row> fv = scratch.materialise("fold-" + i + "-validation",
          SparkPipelines.keepFitted(plan, featurizer.transform(validation)), validationRows, 1);
      if (cacheTrain) {
        ft.count();
      }
      fv.count();
      LOG.debug("fold {}/{}: {} training rows, {} validation rows", i + 1, k, trainRows, validationRows);
      return new FoldData(i, k, featurizer, ft, fv,
          SparkPipelines.featureCount(featurized, plan.pipeline().featuresCol()), baseline);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /**
   * Whether some trials of {@code plan} may fit fused: a family is a logistic regression that
   * reads the prefix's output directly.
   */
  private static boolean fusesAny(SparkStudyPlan plan) {
    StudyPipeline p = plan.pipeline();
    return p.prefixLength() == p.stages().size() && p.featuresCol().equals(SparkPipelines.FEATURES)
        && p.families().stream().anyMatch(f -> FusedLogistic.fuses(plan, f.estimator()));
  }

  /**
   * Whether some trials of {@code plan} may share boosting runs: shared fits are on and a family
   * is gradient boosting that reads the prefix's output directly.
   */
  private static boolean boostsAny(SparkStudyPlan plan) {
    StudyPipeline p = plan.pipeline();
    return plan.spec().search().fusedFits() && p.prefixLength() == p.stages().size()
        && p.families().stream().anyMatch(f -> FittedModels.boostsByPrefix(f.estimator()));
  }

  /** The featurized folds, cached. */
  List<FoldData> folds() {
    return ctx.folds;
  }

  @Override
  public List<Evaluation> evaluate(List<Suggestion> batch, List<Trial> history) {
    FoldRace race = FoldRace.start(rule, ctx.plan.direction(), ctx.folds.size(), history);
    Map<Integer, TrialRun> runs = new LinkedHashMap<>();
    for (Suggestion s : batch) {
      runs.put(s.trialId(), new TrialRun(s, ctx.folds.size(), ctx.jobGroup("trial-" + s.trialId())));
    }
    Round round = new Round(ctx.study(), ctx.spark.sparkContext(), pool, race, runs, ctx.clock);
    fitter.schedule(List.copyOf(runs.values()), round);
    round.await();
    rawScales.clear();
    List<Evaluation> out = new ArrayList<>();
    for (TrialRun r : runs.values()) {
      out.add(r.toEvaluation(ctx.clock));
      rawScales.put(r.trialId(), r.rawScale());
    }
    return out;
  }

  @Override
  public String warning(Evaluation evaluation) {
    Double raw = rawScales.get(evaluation.trialId());
    return SparkDivergence.warning(ctx.plan, ctx.folds, evaluation.foldMetrics(), raw == null ? Double.NaN : raw);
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : ": " + SparkData.firstLine(m));
  }

  /** Drops the cached folds and their scratch files, and stops the pool. */
  @Override
  public void close() {
    pool.shutdownNow();
    fitter.close();
    ctx.stages.close();
    ctx.folds.forEach(FoldData::release);
    scratch.close();
  }
}
