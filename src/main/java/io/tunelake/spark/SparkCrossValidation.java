package io.tunelake.spark;

import io.tunelake.spec.JobSpec;
import io.tunelake.study.Evaluation;
import io.tunelake.study.FoldRace;
import io.tunelake.study.Format;
import io.tunelake.study.Trial;
import io.tunelake.study.Objective;
import io.tunelake.study.Suggestion;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.classification.LogisticRegression;
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
 * Spark job in its own FAIR pool, with the job group {@code tunelake-<study>-trial-<id>-<run>} and a
 * description naming study, trial and fold, so the Spark UI shows what runs and a trial's jobs
 * can be cancelled as a group. A unit that throws marks its trial FAILED with the message,
 * and the trial's remaining folds are skipped; the other trials go on.
 *
 * <p>With pruning on ({@code search.pruning}), every fold score goes to a {@link FoldRace}; a
 * trial it prunes has its running fits cancelled through its job group and its remaining folds
 * skipped, and is reported PRUNED with the folds it reached. A suggestion below full budget is
 * fitted on that fraction of each fold's training rows, or with its iteration parameter scaled
 * down ({@code search.scheduler.resource}); it is always scored on the whole validation fold.
 *
 * <p>With {@code search.fused_fits} (the default), the logistic-regression trials of a round are
 * dealt into one lockstep group per fit thread and each group fits all folds of its trials
 * together ({@link FusedLogistic}): one Spark job per optimizer step for the whole group, in the
 * job group {@code tunelake-<study>-fused-<first trial id>-<run>}. Their folds finish together,
 * so they are not raced.
 */
public final class SparkCrossValidation implements Objective, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SparkCrossValidation.class);
  private static final String ROWS = "rows";
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final SparkSession spark;
  private final SparkStudyPlan plan;
  private final List<FoldData> folds;
  private final ExecutorService pool;
  private final SparkScratch scratch;
  private final long seed;
  private final Clock clock;
  private final FoldRace.Rule rule;
  private final String resource;
  /** The folds' training rows packed for fused logistic regression; null when the study fits one model at a time. */
  private final FusedLogistic fused;
  private final int groupsPerRound;
  /** Tells this objective's job groups from another's with the same study and trial ids. */
  private final String runId = Integer.toString(RUNS.incrementAndGet());

  private SparkCrossValidation(SparkSession spark, SparkStudyPlan plan, List<FoldData> folds, ExecutorService pool,
      int parallelism, SparkScratch scratch, FusedLogistic fused, long seed, Clock clock) {
    this.spark = spark;
    this.plan = plan;
    this.folds = List.copyOf(folds);
    this.pool = pool;
    this.scratch = scratch;
    this.seed = seed;
    this.clock = clock;
    JobSpec.Search search = plan.spec().search();
    this.rule = search.pruning().enabled() ? new FoldRace.Rule(true, search.pruning().confidence()) : FoldRace.Rule.OFF;
    this.resource = search.schedule().resource();
    this.fused = fused;
    // A lockstep group per fit thread, so one group's driver work overlaps the others' tasks. On
    // adult.csv: cores busy 85 % with four groups against 72 % with two (docs/BENCHMARKS.md).
    this.groupsPerRound = parallelism;
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
    boolean fuses = FusedLogistic.fuses(plan, SparkEstimators.create(plan.spec().estimator()));
    List<Future<FoldData>> futures = new ArrayList<>();
    for (int i = 0; i < split.folds(); i++) {
      int fold = i;
      futures.add(pool.submit(() -> featurize(spark, plan, split, fold, scratch, !fuses)));
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
    FusedLogistic fused = null;
    if (fuses) {
      try {
        spark.sparkContext().setJobGroup("tunelake-" + plan.spec().study() + "-featurize",
            "study '" + plan.spec().study() + "': pack the folds for fused logistic regression", true);
        fused = FusedLogistic.prepare(spark, folds.stream().map(FoldData::train).toList(),
            plan.columns().label());
      } finally {
        spark.sparkContext().clearJobGroup();
      }
      if (!fused.bothClassesInEveryFold()) {
        fused.close();
        fused = null;
        folds.forEach(f -> f.train().persist(StorageLevel.MEMORY_AND_DISK()));
      }
    }
    return new SparkCrossValidation(spark, plan, folds, pool, parallelism, scratch, fused, seed, clock);
  }

  /**
   * Fits fold {@code i}'s featurizer on its training rows and writes both sides, featurized, to
   * the scratch directory. The validation rows are cached; the training rows too unless
   * {@code cacheTrain} is false: fused fits read them once, to pack them, and at 4M rows the
   * cached folds and the packed blocks together did not fit in a 4 GB driver. A fit that is
   * not fused after all (a reduced rows budget) reads its fold from the files.
   */
  private static FoldData featurize(SparkSession spark, SparkStudyPlan plan, SparkFolds.Split split, int i,
      SparkScratch scratch, boolean cacheTrain) {
    String study = plan.spec().study();
    int k = split.folds();
    spark.sparkContext().setJobGroup("tunelake-" + study + "-featurize", String.format(
        "study '%s': featurize fold %d/%d", study, i + 1, k), true);
    try {
      Dataset<Row> train = split.trainOf(i);
      Dataset<Row> validation = split.validationOf(i);
      PipelineModel featurizer = SparkPipelines.featurizer(plan).fit(train);
      long trainRows = train.count();
      long validationRows = validation.count();
      if (trainRows == 0 || validationRows == 0) {
        throw new IllegalStateException(String.format("fold %d/%d has %d training and %d validation rows; every "
            + "fold needs both (too few rows for %d folds?)", i + 1, k, trainRows, validationRows, k));
      }
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
      return new FoldData(i, k, featurizer, ft, fv, SparkPipelines.featureCount(featurized));
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /** The featurized folds, cached. */
  List<FoldData> folds() {
    return folds;
  }

  @Override
  public List<Evaluation> evaluate(List<Suggestion> batch, List<Trial> history) {
    FoldRace race = FoldRace.start(rule, plan.direction(), folds.size(), history);
    Map<Integer, TrialRun> runs = new LinkedHashMap<>();
    List<TrialRun> fusedRuns = new ArrayList<>();
    for (Suggestion s : batch) {
      TrialRun run = new TrialRun(s, folds.size());
      runs.put(s.trialId(), run);
      if (fuses(s)) {
        fusedRuns.add(run);
      } else {
        race.enter(s.trialId(), s.budget());
      }
    }
    List<List<TrialRun>> fusedGroups = dealIntoGroups(fusedRuns);
    List<Future<?>> units = new ArrayList<>();
    List<String> jobGroups = new ArrayList<>();
    for (List<TrialRun> group : fusedGroups) {
      String name = "tunelake-" + plan.spec().study() + "-fused-" + group.get(0).suggestion.trialId() + "-" + runId;
      jobGroups.add(name);
      units.add(pool.submit(() -> runFused(group, name)));
    }
    for (FoldData fold : folds) {
      for (TrialRun run : runs.values()) {
        if (!fusedRuns.contains(run)) {
          units.add(pool.submit(() -> runUnit(run, fold, race, runs)));
        }
      }
    }
    runs.values().stream().filter(r -> !fusedRuns.contains(r)).forEach(r -> jobGroups.add(r.group()));
    for (Future<?> u : units) {
      try {
        u.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        units.forEach(f -> f.cancel(true));
        jobGroups.forEach(g -> spark.sparkContext().cancelJobGroupAndFutureJobs(g, "round interrupted"));
        throw new IllegalStateException("interrupted while evaluating a round", e);
      } catch (ExecutionException e) {
        // The units catch everything a fit throws; reaching here is a bug in the unit itself.
        throw new IllegalStateException(e.getCause());
      }
    }
    List<Evaluation> out = new ArrayList<>();
    for (TrialRun r : runs.values()) {
      out.add(r.toEvaluation(clock));
    }
    return out;
  }

  /**
   * The fused trials dealt round-robin into lockstep groups: as many as configured, more when
   * one group's gradient sums would pass {@link FusedLogistic#MAX_COEFFICIENTS_PER_PASS}.
   */
  private List<List<TrialRun>> dealIntoGroups(List<TrialRun> fusedRuns) {
    if (fusedRuns.isEmpty()) {
      return List.of();
    }
    long perTrial = 0;
    for (FoldData f : folds) {
      perTrial += fused.dimension(f.index()) + 3L;
    }
    int trialsPerPass = (int) Math.max(1, FusedLogistic.MAX_COEFFICIENTS_PER_PASS / perTrial);
    int count = Math.max(Math.min(groupsPerRound, fusedRuns.size()),
        (fusedRuns.size() + trialsPerPass - 1) / trialsPerPass);
    List<List<TrialRun>> groups = new ArrayList<>();
    for (int i = 0; i < fusedRuns.size(); i++) {
      if (i < count) {
        groups.add(new ArrayList<>());
      }
      groups.get(i % count).add(fusedRuns.get(i));
    }
    return groups;
  }

  /** Whether {@code s} is fitted by {@link FusedLogistic}: a logistic regression on the whole of each fold. */
  private boolean fuses(Suggestion s) {
    return fused != null && (s.budget() >= 1 || !ROWS.equals(resource))
        && FusedLogistic.fuses(estimator(s, folds.get(0)), plan.numClasses());
  }

  /** The suggestion's estimator for {@code fold}, its iteration parameter scaled to its budget. */
  private Estimator<?> estimator(Suggestion s, FoldData fold) {
    Map<String, Object> params = s.params();
    if (s.budget() < 1 && !ROWS.equals(resource)) {
      params = new LinkedHashMap<>(params);
      int full = ((Number) params.get(resource)).intValue();
      params.put(resource, Math.max(1, (int) Math.round(full * s.budget())));
    }
    return SparkPipelines.estimator(plan, params, fold.featureCount(), seed);
  }

  /**
   * Fits every fold of the trials of {@code group} together ({@link FusedLogistic}), then scores
   * each model on its validation fold. The folds finish together, so these trials are not raced.
   */
  private void runFused(List<TrialRun> group, String jobGroup) {
    String study = plan.spec().study();
    var sc = spark.sparkContext();
    sc.setLocalProperty("spark.scheduler.pool", Thread.currentThread().getName());
    sc.setJobGroup(jobGroup, String.format("study '%s': trials %s, %d folds each, fused logistic regression", study,
        group.stream().map(r -> Integer.toString(r.suggestion.trialId())).toList(), folds.size()), true);
    try {
      List<FusedLogistic.Fit> fits = new ArrayList<>();
      for (TrialRun run : group) {
        run.started(clock.instant());
        for (FoldData fold : folds) {
          fits.add(new FusedLogistic.Fit((LogisticRegression) estimator(run.suggestion, fold), fold.index()));
        }
      }
      List<FusedLogistic.Fitted> fitted = fused.fit(fits);
      for (int i = 0; i < fits.size(); i++) {
        TrialRun run = group.get(i / folds.size());
        FoldData fold = folds.get(fits.get(i).fold());
        if (run.stopped()) {
          continue;
        }
        try {
          if (fitted.get(i).error() != null) {
            throw new IllegalStateException(fitted.get(i).error());
          }
          double score = validationScore(fitted.get(i).model(), fold);
          run.scored(fold.index(), score, clock.instant());
          LOG.debug("trial {} fold {}/{}: {}={}", run.suggestion.trialId(), fold.index() + 1, fold.of(),
              plan.metric(), score);
        } catch (RuntimeException e) {
          run.fail(failure(fold, run, e), clock.instant());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      group.forEach(r -> r.fail("interrupted", clock.instant()));
    } finally {
      sc.clearJobGroup();
    }
  }

  /** The study's metric of {@code model} on the fold's validation rows; NaN is a failure. */
  private double validationScore(Model<?> model, FoldData fold) {
    double score = plan.score(model.transform(fold.validation()));
    if (Double.isNaN(score)) {
      throw new IllegalStateException(plan.metric() + " is NaN on the validation rows");
    }
    return score;
  }

  private String failure(FoldData fold, TrialRun run, Throwable e) {
    return String.format("fitting fold %d/%d of trial %d in study '%s' failed: %s", fold.index() + 1, fold.of(),
        run.suggestion.trialId(), plan.spec().study(), rootMessage(e));
  }

  private void runUnit(TrialRun run, FoldData fold, FoldRace race, Map<Integer, TrialRun> runs) {
    if (run.stopped()) {
      return;
    }
    String study = plan.spec().study();
    int trialId = run.suggestion.trialId();
    var sc = spark.sparkContext();
    sc.setLocalProperty("spark.scheduler.pool", Thread.currentThread().getName());
    sc.setJobGroup(run.group(), String.format("study '%s': trial %d, fold %d/%d %s%s", study, trialId,
        fold.index() + 1, fold.of(), run.suggestion.params(), run.suggestion.budget() < 1
            ? " at budget " + Format.number(run.suggestion.budget()) : ""), true);
    run.started(clock.instant());
    try {
      Dataset<Row> train = fold.train();
      if (run.suggestion.budget() < 1 && ROWS.equals(resource)) {
        train = train.sample(false, run.suggestion.budget(), seed + 31L * fold.index());
      }
      Estimator<?> est = estimator(run.suggestion, fold);
      Model<?> model = (Model<?>) est.fit(train);
      if (run.stopped()) {
        return;
      }
      double score = validationScore(model, fold);
      if (!run.scored(fold.index(), score, clock.instant())) {
        return;
      }
      LOG.debug("trial {} fold {}/{}: {}={}", trialId, fold.index() + 1, fold.of(), plan.metric(), score);
      for (int loser : race.record(trialId, fold.index(), score)) {
        TrialRun pruned = runs.get(loser);
        pruned.prune(clock.instant());
        // A fit's jobs come one after another with driver work between them; a plain
        // cancelJobGroup that lands in such a gap cancels nothing and the fit runs on.
        sc.cancelJobGroupAndFutureJobs(pruned.group(), "trial " + loser + " pruned");
        LOG.debug("trial {} pruned after {} folds", loser, pruned.reached());
      }
    } catch (Throwable e) {
      if (run.stopped()) {
        return; // a pruned trial's fit cancelled under it
      }
      String message = failure(fold, run, e);
      run.fail(message, clock.instant());
      race.fail(trialId);
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

  /** Drops the cached folds and their scratch files, and stops the pool. */
  @Override
  public void close() {
    pool.shutdownNow();
    if (fused != null) {
      fused.close();
    }
    folds.forEach(FoldData::release);
    scratch.close();
  }

  /** The fold scores of one trial as its units finish, possibly on several threads. */
  private final class TrialRun {
    final Suggestion suggestion;
    final double[] scores;
    private Instant start;
    private Instant end;
    private String error;
    private boolean pruned;

    TrialRun(Suggestion suggestion, int folds) {
      this.suggestion = suggestion;
      this.scores = new double[folds];
      Arrays.fill(scores, Double.NaN);
    }

    String group() {
      return "tunelake-" + plan.spec().study() + "-trial-" + suggestion.trialId() + "-" + runId;
    }

    /** Whether the trial's remaining folds must not run: it failed or was pruned. */
    synchronized boolean stopped() {
      return error != null || pruned;
    }

    synchronized void started(Instant t) {
      if (start == null || t.isBefore(start)) {
        start = t;
      }
    }

    /** Records a fold's score unless the trial stopped meanwhile; says whether it was recorded. */
    synchronized boolean scored(int fold, double score, Instant t) {
      if (stopped()) {
        return false;
      }
      scores[fold] = score;
      finished(t);
      return true;
    }

    synchronized void prune(Instant t) {
      pruned = true;
      finished(t);
    }

    synchronized int reached() {
      return reachedScores().size();
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
      List<Double> done = reachedScores();
      if (error != null) {
        return Evaluation.failed(suggestion.trialId(), done, error, s, e);
      }
      if (pruned) {
        return Evaluation.pruned(suggestion.trialId(), done, s, e);
      }
      return Evaluation.complete(suggestion.trialId(), done, s, e);
    }

    private List<Double> reachedScores() {
      List<Double> done = new ArrayList<>();
      for (double v : scores) {
        if (!Double.isNaN(v)) {
          done.add(v);
        }
      }
      return done;
    }
  }
}
