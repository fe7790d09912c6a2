package io.tunelake.cli;

import static org.apache.spark.sql.functions.col;

import io.tunelake.delta.DeltaTrialStore;
import io.tunelake.delta.Lineage;
import io.tunelake.delta.StudyRow;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Optimizers;
import io.tunelake.optimize.schedule.Scheduler;
import io.tunelake.space.ParamsJson;
import io.tunelake.space.SearchSpace;
import io.tunelake.spec.JobSpec;
import io.tunelake.spark.SparkCrossValidation;
import io.tunelake.spark.SparkFolds;
import io.tunelake.spark.SparkRefit;
import io.tunelake.spark.SparkSlots;
import io.tunelake.spark.SparkStudyPlan;
import io.tunelake.spark.SparkUtilisation;
import io.tunelake.study.Budget;
import io.tunelake.study.StudyOutcome;
import io.tunelake.study.StopReason;
import io.tunelake.study.StopSignal;
import io.tunelake.study.StudyRunner;
import io.tunelake.study.Trial;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a study from a validated spec: checks the plan against the data, opens the tables,
 * runs the rounds the budget still allows, refits the best pipeline and records the study.
 * A study whose budget is already spent and whose best model is saved is left as it is.
 */
final class Tuning {
  private static final Logger LOG = LoggerFactory.getLogger(Tuning.class);

  /**
   * The study after this run, its row in the {@code studies} table, and what this run took from
   * the studies it warm-starts from.
   */
  record Result(StudyOutcome outcome, StudyRow study, boolean refitted, WarmStart warmStart, Phases phases) {}

  /**
   * Where a run's time went, in milliseconds: reading the data, the split and the fold
   * assignment ({@code data}); fitting the featurization of every fold and caching the folds
   * ({@code featurize}); the rounds ({@code rounds}); the refit, held-out score and saved model
   * ({@code refit}). A phase the run skipped is 0.
   */
  record Phases(long dataMs, long featurizeMs, long roundsMs, long refitMs) {
    static final Phases NONE = new Phases(0, 0, 0, 0);
  }

  /** Milliseconds since the last call (or since it was made). */
  private static final class Stopwatch {
    private long last = System.nanoTime();

    long lap() {
      long now = System.nanoTime();
      long ms = (now - last) / 1_000_000;
      last = now;
      return ms;
    }
  }

  /**
   * The trials of earlier studies a study starts from, as observations for its optimizer, and
   * how many each source study gave.
   */
  record WarmStart(List<Observation> priors, List<Source> sources) {
    static final WarmStart NONE = new WarmStart(List.of(), List.of());

    WarmStart {
      priors = List.copyOf(priors);
      sources = List.copyOf(sources);
    }

    /** Of the trials of {@code study}, {@code used} fit this study and {@code dropped} did not. */
    record Source(String study, int used, int dropped) {}
  }

  private Tuning() {}

  static Result run(SparkSession spark, JobSpec spec, Clock clock) {
    return run(spark, spec, clock, false, new StopSignal());
  }

  /**
   * Runs the study; a study that ran before with a different search space, data, pipeline or
   * metric is refused (exit code 4, the changes named) unless {@code acceptChanges}. {@code stop}
   * ends it between rounds (SIGTERM).
   */
  static Result run(SparkSession spark, JobSpec spec, Clock clock, boolean acceptChanges, StopSignal stop) {
    SparkStudyPlan.checkStatic(spec);
    Stopwatch watch = new Stopwatch();
    Long dataVersion = TuningData.deltaVersion(spark, spec.data());
    Dataset<Row> data = TuningData.load(spark, spec.data(), dataVersion);
    SparkStudyPlan plan = SparkStudyPlan.resolve(spec, data);
    DeltaTrialStore store = DeltaTrialStore.open(spark, spec.store().path(), spec.store().database(), clock);
    Instant start = clock.instant();
    Optional<StudyRow> previous = store.study(spec.study());
    List<String> changes = new ArrayList<>();
    if (previous.isPresent() && !previous.get().specHash().equals(hash(spec.source()))) {
      changes.addAll(SpecDrift.changes(previous.get().specYaml(), spec));
    }
    if (previous.isPresent() && dataVersion != null && spec.data().version() == null) {
      store.lastDataVersion(spec.study()).filter(v -> !v.equals(dataVersion)).ifPresent(v ->
          changes.add("data version of " + spec.data().location() + ": " + v + " → " + dataVersion
              + " (pin one with data.version)"));
    }
    if (!changes.isEmpty() && !acceptChanges) {
      throw SpecDrift.refused(spec.study(), changes);
    }
    if (!changes.isEmpty()) {
      LOG.warn("study '{}' continues with a changed spec (--continue): {}", spec.study(), String.join("; ", changes));
    }
    List<Trial> history = store.history(spec.study());
    boolean done = history.size() >= spec.search().trials() && previous.map(p -> p.modelPath() != null
        && p.bestTrialId() != null && "FINISHED".equals(p.status())).orElse(false);
    if (done) {
      LOG.info("study '{}' has spent its budget of {} trials and has its model; nothing to do", spec.study(),
          spec.search().trials());
      StudyOutcome outcome = new StudyOutcome(spec.study(), plan.metric(), plan.direction(), history, 0, StopReason.TRIALS,
          java.time.Duration.ZERO);
      return new Result(outcome, previous.get(), false, WarmStart.NONE, Phases.NONE);
    }
    StudyRow running = row(spark, plan, previous, "RUNNING", history.size(), null, null, null, null, clock);
    store.saveStudy(running);

    // The study's columns are read once; the split, the folds and the refit all start from here.
    Dataset<Row> used = data.select(usedColumns(plan)).persist(StorageLevel.MEMORY_AND_DISK());
    String foldId = TuningData.foldAssignmentId(spark, plan, used, dataVersion);
    SparkFolds.Split split = TuningData.materialisedFolds(spark, store.foldsPath(foldId),
        SparkFolds.split(spark, plan, used, spec.search().seed()));
    DeltaTrialStore stamped = store.withLineage(new Lineage(spec.data().location(), spec.data().format(), dataVersion,
        foldId, spec.search().seed(), spec.search().algorithm(), version(), spark.version()));
    long dataMs = watch.lap();
    long featurizeMs = 0;
    long roundsMs = 0;
    WarmStart warm = WarmStart.NONE;
    try {
      StudyOutcome outcome;
      Double utilisation = null;
      int parallelism = SparkSlots.concurrentFits(spark, spec.search().parallelism());
      if (history.size() < spec.search().trials()) {
        JobSpec.Search search = spec.search();
        LOG.info("study '{}': {} on {} ({}), {} {} folds, metric {} ({}), {} search{}{}, {} trials in rounds of {}, "
                + "{} concurrent fits", spec.study(), spec.estimator(), spec.data().location(), plan.task(),
            plan.folds(), plan.strategy(), plan.metric(), plan.direction(), search.algorithm(),
            search.pruning().enabled() ? " with pruning" : "",
            search.schedule().isNone() ? "" : ", " + search.schedule().type() + " over " + search.schedule().resource(),
            search.trials(), search.batchSize(), parallelism);
        warm = warmStart(store, spec, plan);
        try (SparkCrossValidation objective = SparkCrossValidation.prepare(spark, plan, split, parallelism,
            spec.search().seed(), clock)) {
          featurizeMs = watch.lap();
          // The folds are featurized and cached: the assignment's rows are not read again.
          split.release();
          Optimizer optimizer = Optimizers.create(spec.search().algorithm(), new OptimizerConfig(plan.space(),
              plan.direction(), spec.search().seed(), spec.search().options()));
          StudyRunner runner = StudyRunner.builder()
              .study(spec.study())
              .metric(plan.metric(), plan.direction())
              .optimizer(optimizer)
              .scheduler(Scheduler.of(spec.search().schedule().type(), spec.search().schedule().eta(),
                  spec.search().schedule().minBudget(), plan.direction()))
              .batchSize(spec.search().batchSize())
              .budget(new Budget(spec.search().trials(), spec.search().timeout(), spec.search().target(),
                  spec.search().patience()))
              .stopSignal(stop)
              .objective(objective)
              .store(stamped)
              .priors(warm.priors())
              .clock(clock)
              .build();
          SparkUtilisation busy = SparkUtilisation.start(spark.sparkContext());
          try {
            outcome = runner.run();
          } finally {
            utilisation = busy.stop();
          }
          roundsMs = watch.lap();
        }
      } else {
        outcome = new StudyOutcome(spec.study(), plan.metric(), plan.direction(), history, 0, StopReason.TRIALS,
            java.time.Duration.ZERO);
      }
      if (outcome.stopReason() == StopReason.STOPPED) {
        // The engine is shutting down: write nothing more; the study row stays RUNNING.
        throw new CommandException(ExitCodes.STOPPED, "study '" + spec.study() + "' stopped on request after "
            + outcome.trials().size() + " trials; every committed round is kept, re-run the same command to continue");
      }
      Optional<Trial> best = outcome.best();
      if (best.isEmpty()) {
        store.saveStudy(row(spark, plan, previous, "FINISHED", outcome.trials().size(), null, null,
            clock.instant().toEpochMilli() - start.toEpochMilli(), utilisation, clock));
        throw new CommandException(ExitCodes.NO_COMPLETE_TRIAL, "study '" + spec.study() + "' spent its budget of "
            + outcome.trials().size() + " trials and none completed; see the errors with: tunelake trials "
            + spec.study() + " --store " + spec.store().path());
      }
      Trial b = best.get();
      LOG.info("refitting trial {} on all training rows", b.trialId());
      SparkRefit.Result refit = SparkRefit.refit(spark, plan, split, b.params(), spec.search().seed(),
          store.modelPath(spec.study()));
      StudyRow finished = row(spark, plan, previous, "FINISHED", outcome.trials().size(), b, refit,
          clock.instant().toEpochMilli() - start.toEpochMilli(), utilisation, clock);
      long refitMs = watch.lap();
      store.saveStudy(finished);
      return new Result(outcome, finished, true, warm, new Phases(dataMs, featurizeMs, roundsMs, refitMs));
    } finally {
      split.release();
      used.unpersist();
    }
  }

  /**
   * The trials of the spec's {@code search.warm_start} studies that fit this study's space and
   * metric, as observations for the optimizer; the others are dropped and counted.
   */
  static WarmStart warmStart(DeltaTrialStore store, JobSpec spec, SparkStudyPlan plan) {
    List<Observation> priors = new ArrayList<>();
    List<WarmStart.Source> sources = new ArrayList<>();
    for (String other : spec.search().warmStart()) {
      if (other.equals(spec.study())) {
        continue;
      }
      List<Trial> trials = store.history(other);
      List<Observation> fit = compatible(trials, plan.metric(), plan.space());
      priors.addAll(fit);
      int kept = fit.size();
      sources.add(new WarmStart.Source(other, kept, trials.size() - kept));
      if (trials.isEmpty()) {
        LOG.warn("warm start: study '{}' has no trials in {}; nothing taken from it", other, store.trialsPath());
      } else {
        LOG.info("warm start: {} of {} trials of study '{}' fit this study's space and metric; {} dropped", kept,
            trials.size(), other, trials.size() - kept);
      }
    }
    return new WarmStart(priors, sources);
  }

  /** The trials scored on {@code metric} whose assignment is valid in {@code space}, as observations. */
  static List<Observation> compatible(List<Trial> trials, String metric, SearchSpace space) {
    List<Observation> out = new ArrayList<>();
    for (Trial t : trials) {
      if (t.metric().equals(metric) && space.contains(t.params())) {
        out.add(t.toObservation());
      }
    }
    return out;
  }

  private static Column[] usedColumns(SparkStudyPlan plan) {
    Set<String> cols = new LinkedHashSet<>(plan.columns().features());
    if (plan.columns().label() != null) {
      cols.add(plan.columns().label());
    }
    if (plan.columns().group() != null) {
      cols.add(plan.columns().group());
    }
    if (plan.columns().order() != null) {
      cols.add(plan.columns().order());
    }
    List<Column> out = new ArrayList<>();
    cols.forEach(c -> out.add(col(c)));
    return out.toArray(new Column[0]);
  }

  private static StudyRow row(SparkSession spark, SparkStudyPlan plan, Optional<StudyRow> previous, String status,
      int trials, Trial best, SparkRefit.Result refit, Long wallMs, Double utilisation, Clock clock) {
    JobSpec spec = plan.spec();
    Instant now = clock.instant();
    return new StudyRow(spec.study(), status, spec.estimator(), plan.metric(), plan.direction().name(),
        spec.search().algorithm(), spec.search().seed(), spec.search().trials(), plan.folds(), plan.strategy(),
        spec.data().location(), spec.data().format(), spec.source(), hash(spec.source()), trials,
        best == null ? null : best.trialId(), best == null ? null : best.value(),
        best == null ? null : ParamsJson.write(best.params()),
        refit == null || Double.isNaN(refit.testMetric()) ? null : refit.testMetric(),
        refit == null ? null : refit.testRows(), refit == null ? null : refit.modelPath(), wallMs, utilisation,
        version(), spark.version(), previous.map(StudyRow::createdAt).orElse(now), now);
  }

  static String hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String version() {
    String v = Tuning.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
