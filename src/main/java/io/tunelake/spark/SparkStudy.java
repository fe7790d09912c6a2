package io.tunelake.spark;

import io.tunelake.delta.DeltaTrialStore;
import io.tunelake.delta.Lineage;
import io.tunelake.delta.StudyLease;
import io.tunelake.delta.StudyRow;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Optimizers;
import io.tunelake.optimize.pbt.PbtAlgorithm;
import io.tunelake.optimize.pbt.Population;
import io.tunelake.optimize.schedule.Scheduler;
import io.tunelake.space.ParamsJson;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.SpecFields;
import io.tunelake.study.Budget;
import io.tunelake.study.Completion;
import io.tunelake.study.DataProfile;
import io.tunelake.study.ParetoGoals;
import io.tunelake.study.Phases;
import io.tunelake.study.StudyDrift;
import io.tunelake.study.StudyException;
import io.tunelake.study.StudyOutcome;
import io.tunelake.study.StopReason;
import io.tunelake.study.StopSignal;
import io.tunelake.study.StudyRunner;
import io.tunelake.study.Trial;
import io.tunelake.study.WarmStart;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark side of a study's lifecycle, the one entry point every front end calls: checks the
 * plan against the data, opens the tables, runs the rounds the budget still allows, refits the
 * best pipeline and records the study. A study whose budget is already spent and whose best
 * model is saved is left as it is.
 */
public final class SparkStudy {
  private static final Logger LOG = LoggerFactory.getLogger(SparkStudy.class);

  /**
   * The study after this run, its row in the {@code studies} table, and what this run took from
   * the studies it warm-starts from.
   */
  public record Result(StudyOutcome outcome, StudyRow study, boolean refitted, WarmStart warmStart, Phases phases) {}

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

  private SparkStudy() {}

  /** Runs the study, refusing a changed spec, with no way to stop it from outside. */
  public static Result run(SparkSession spark, JobSpec spec, Clock clock) {
    return run(spark, spec, clock, false, new StopSignal());
  }

  /**
   * What a front end hands the lifecycle: the settings, the data as read, its Delta version
   * (null when the input is not a Delta table), the plan over it, how to name what changed
   * since the settings text stored with the study ({@code changesSince}), and what a refusal
   * tells the user to do to go on ({@code howToContinue}) or to start afresh ({@code howToRename}).
   */
  public record Input(JobSpec spec, Dataset<Row> data, Long dataVersion, SparkStudyPlan plan,
      Function<String, List<String>> changesSince, String howToContinue, String howToRename) {}

  /**
   * Runs the study of a job spec; a study that ran before with a different search space, data,
   * pipeline or metric is refused ({@link StudyException.Kind#REFUSED}, the changes named) unless
   * {@code acceptChanges}. {@code stop} ends it between rounds (SIGTERM).
   */
  public static Result run(SparkSession spark, JobSpec spec, Clock clock, boolean acceptChanges, StopSignal stop) {
    return run(spark, spec, clock, acceptChanges, false, stop);
  }

  /**
   * As {@link #run(SparkSession, JobSpec, Clock, boolean, StopSignal)}; {@code force} takes the
   * study's lease over from another process whose heartbeat is stale.
   */
  public static Result run(SparkSession spark, JobSpec spec, Clock clock, boolean acceptChanges, boolean force,
      StopSignal stop) {
    SparkStudyPlan.checkStatic(spec);
    Stopwatch watch = new Stopwatch();
    Long dataVersion = SparkStudyData.deltaVersion(spark, spec.data());
    // Cached from the first read on: the checks, the split and the refit then parse the input once.
    Dataset<Row> data = SparkStudyData.load(spark, spec.data(), dataVersion).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      SparkStudyPlan plan = SparkStudyPlan.resolve(spec, data);
      Input input = new Input(spec, data, dataVersion, plan, stored -> SpecFields.changes(stored, spec),
          "spec, re-run with --continue", "give it another name (--set study=NEW_NAME)");
      return run(spark, input, clock, acceptChanges, force, stop, watch);
    } finally {
      data.unpersist();
    }
  }

  /** Runs the study {@code input} describes, as {@link #run(SparkSession, JobSpec, Clock, boolean, StopSignal)}. */
  public static Result run(SparkSession spark, Input input, Clock clock, boolean acceptChanges, StopSignal stop) {
    return run(spark, input, clock, acceptChanges, false, stop, new Stopwatch());
  }

  /**
   * Holds the study's lease from the moment the store is opened to the end: another process
   * running the study makes this one fail with {@link io.tunelake.delta.StudyLeaseException}.
   */
  @SuppressWarnings("try")
  private static Result run(SparkSession spark, Input input, Clock clock, boolean acceptChanges, boolean force,
      StopSignal stop, Stopwatch watch) {
    JobSpec spec = input.spec();
    SparkStudyPlan plan = input.plan();
    // The study's columns are read once; the split, the folds and the refit all start from here.
    // Split before the store is opened: a fold that cannot score a model is a spec error, and a
    // spec error leaves the store as it was.
    Dataset<Row> selected = input.data().select(plan.columns().used().stream().map(Column::new)
        .toArray(Column[]::new));
    // Input the caller cached already is read from that cache, not cached twice.
    boolean caches = input.data().storageLevel().equals(StorageLevel.NONE());
    Dataset<Row> used = caches ? selected.persist(StorageLevel.MEMORY_AND_DISK()) : selected;
    SparkFolds.Split computed = null;
    try {
      computed = SparkFolds.split(spark, plan, used, spec.search().seed());
      DeltaTrialStore store = DeltaTrialStore.open(spark, spec.store().path(), spec.store().database(), clock);
      try (StudyLease lease = store.lease(spec.study(), force)) {
        return leased(spark, input, clock, acceptChanges, stop, watch, store, used, computed);
      }
    } finally {
      if (computed != null) {
        computed.release();
      }
      if (caches) {
        used.unpersist();
      }
    }
  }

  private static Result leased(SparkSession spark, Input input, Clock clock, boolean acceptChanges, StopSignal stop,
      Stopwatch watch, DeltaTrialStore store, Dataset<Row> used, SparkFolds.Split computed) {
    JobSpec spec = input.spec();
    Long dataVersion = input.dataVersion();
    SparkStudyPlan plan = input.plan();
    Instant start = clock.instant();
    Optional<StudyRow> previous = store.study(spec.study());
    List<String> changes = new ArrayList<>();
    if (previous.isPresent() && !previous.get().specHash().equals(hash(spec.source()))) {
      changes.addAll(input.changesSince().apply(previous.get().specYaml()));
    }
    if (previous.isPresent() && dataVersion != null && spec.data().version() == null) {
      store.lastDataVersion(spec.study()).filter(v -> !v.equals(dataVersion)).ifPresent(v ->
          changes.add("data version of " + spec.data().location() + ": " + v + " → " + dataVersion
              + " (pin one with data.version)"));
    }
    if (!changes.isEmpty() && !acceptChanges) {
      throw StudyDrift.refused(spec.study(), changes, input.howToContinue(), input.howToRename());
    }
    if (!changes.isEmpty()) {
      LOG.warn("study '{}' continues with a changed spec (--continue): {}", spec.study(), String.join("; ", changes));
    }
    List<Trial> history = store.history(spec.study());
    ParetoGoals goals = SparkMetrics.goals(plan.metric(), plan.direction(), spec.evaluation().objectives());
    boolean done = previous.map(p -> Completion.done(history.size(), spec.search().trials(), p.status(),
        p.bestTrialId(), p.modelPath())).orElse(false);
    if (done) {
      LOG.info("study '{}' has spent its budget of {} trials and has its model; nothing to do", spec.study(),
          spec.search().trials());
      StudyOutcome outcome = new StudyOutcome(spec.study(), plan.metric(), plan.direction(), history, 0, StopReason.TRIALS,
          java.time.Duration.ZERO, goals);
      return new Result(outcome, previous.get(), false, WarmStart.NONE, Phases.NONE);
    }
    DataProfile profile = previous.map(StudyRow::profile).filter(p -> changes.isEmpty())
        .orElseGet(() -> SparkDataProfile.of(plan, used));
    StudyRow running = row(spark, plan, profile, previous, "RUNNING", history.size(), null, null, null, null, clock);
    store.saveStudy(running);

    String foldId = SparkStudyData.foldAssignmentId(spark, plan, used, dataVersion);
    SparkFolds.Split split = SparkStudyData.materialisedFolds(spark, store.foldsPath(foldId), computed);
    DeltaTrialStore stamped = store.withLineage(new Lineage(spec.data().location(), spec.data().format(), dataVersion,
        foldId, spec.search().seed(), spec.search().algorithm(), version(), spark.version()));
    long dataMs = watch.lap();
    long featurizeMs = 0;
    long roundsMs = 0;
    WarmStart warm = WarmStart.NONE;
    boolean pbt = PbtAlgorithm.NAME.equals(spec.search().algorithm());
    try {
      StudyOutcome outcome;
      Double utilisation = null;
      int parallelism = SparkSlots.concurrentFits(spark, spec.search().parallelism());
      if (Completion.needsRounds(history.size(), spec.search().trials())) {
        JobSpec.Search search = spec.search();
        LOG.info("study '{}': {} on {} ({}), {} {} folds, metric {} ({}), {} search{}{}, {} trials in rounds of {}, "
                + "{} concurrent fits", spec.study(), spec.estimator(), spec.data().location(), plan.task(),
            plan.folds(), plan.strategy(), plan.metric(), plan.direction(), search.algorithm(),
            search.pruning().enabled() ? " with pruning" : "",
            search.schedule().isNone() ? "" : ", " + search.schedule().type() + " over " + search.schedule().resource(),
            search.trials(), search.batchSize(), parallelism);
        warm = spec.search().warmStartAuto()
            ? WarmStart.auto(store, spec.study(), spec.estimator(), plan.metric(), plan.direction(), profile,
                plan.space(), store.studies().stream().map(r -> new WarmStart.Candidate(r.study(), r.estimator(),
                    r.metric(), r.profile())).toList())
            : WarmStart.from(store, store.trialsPath(), spec.study(), spec.search().warmStart(), plan.metric(),
                plan.space());
        try (SparkCrossValidation objective = SparkCrossValidation.prepare(spark, plan, split, parallelism,
            spec.search().seed(), clock)) {
          featurizeMs = watch.lap();
          // The folds are featurized and cached: the assignment's rows are not read again.
          split.release();
          Optimizer optimizer = Optimizers.create(spec.search().algorithm(), new OptimizerConfig(plan.space(),
              plan.direction(), spec.search().seed(), spec.search().options()).withObjectives(goals.directions()));
          StudyRunner.Builder builder = StudyRunner.builder();
          if (pbt) {
            Population population = new Population(plan.space(), plan.direction(),
                Population.Settings.of(spec.search().options()), spec.search().seed(), plan.space().names().stream()
                .filter(n -> SparkEstimators.isArchitecture(n.substring(n.lastIndexOf('.') + 1))).collect(
                    java.util.stream.Collectors.toSet()));
            builder.population(population).batchSize(population.settings().size());
          } else {
            builder.batchSize(spec.search().batchSize());
          }
          StudyRunner runner = builder
              .study(spec.study())
              .metric(plan.metric(), plan.direction())
              .optimizer(optimizer)
              .scheduler(Scheduler.of(spec.search().schedule().type(), spec.search().schedule().eta(),
                  spec.search().schedule().minBudget(), plan.direction()))
              .budget(new Budget(spec.search().trials(), spec.search().timeout(), spec.search().target(),
                  spec.search().patience()))
              .stopSignal(stop)
              .objective(objective)
              .store(stamped)
              .priors(warm.priors())
              .goals(goals)
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
            java.time.Duration.ZERO, goals);
      }
      if (outcome.stopReason() == StopReason.STOPPED) {
        // The engine is shutting down: write nothing more; the study row stays RUNNING.
        throw new StudyException(StudyException.Kind.STOPPED, "study '" + spec.study() + "' stopped on request after "
            + outcome.trials().size() + " trials; every committed round is kept, re-run the same command to continue");
      }
      Optional<Trial> best = outcome.best();
      if (best.isEmpty()) {
        store.saveStudy(row(spark, plan, profile, previous, Completion.FINISHED, outcome.trials().size(), null, null,
            clock.instant().toEpochMilli() - start.toEpochMilli(), utilisation, clock));
        throw new StudyException(StudyException.Kind.NO_COMPLETE_TRIAL, "study '" + spec.study() + "' spent its budget of "
            + outcome.trials().size() + " trials and " + outcome.whyNoBest() + "; see the errors with: tunelake trials "
            + spec.study() + " --store " + spec.store().path());
      }
      Trial b = best.get();
      if (goals.isMulti() || goals.select() != null || !goals.constraints().isEmpty()) {
        LOG.info("picked {}", goals.why(b, outcome.trials()));
      }
      LOG.info("refitting trial {} on all training rows", b.trialId());
      SparkRefit.Result refit = pbt && b.member() != null
          ? SparkRefit.refit(spark, plan, split, b.params(), spec.search().seed(), store.modelPath(spec.study()),
              PopulationFitter.refitting(spark, spec, b))
          : SparkRefit.refit(spark, plan, split, b.params(), spec.search().seed(), store.modelPath(spec.study()));
      StudyRow finished = row(spark, plan, profile, previous, Completion.FINISHED, outcome.trials().size(), b, refit,
          clock.instant().toEpochMilli() - start.toEpochMilli(), utilisation, clock);
      long refitMs = watch.lap();
      store.saveStudy(finished);
      return new Result(outcome, finished, true, warm, new Phases(dataMs, featurizeMs, roundsMs, refitMs));
    } finally {
      split.release();
    }
  }

  private static StudyRow row(SparkSession spark, SparkStudyPlan plan, DataProfile profile,
      Optional<StudyRow> previous, String status, int trials, Trial best, SparkRefit.Result refit, Long wallMs,
      Double utilisation, Clock clock) {
    JobSpec spec = plan.spec();
    Instant now = clock.instant();
    return new StudyRow(spec.study(), status, spec.estimator(), plan.metric(), plan.direction().name(),
        spec.search().algorithm(), spec.search().seed(), spec.search().trials(), plan.folds(), plan.strategy(),
        spec.data().location(), spec.data().format(), spec.source(), hash(spec.source()), trials,
        best == null ? null : best.trialId(), best == null ? null : best.value(),
        best == null ? null : ParamsJson.write(best.params()),
        refit == null || Double.isNaN(refit.testMetric()) ? null : refit.testMetric(),
        refit == null ? null : refit.testRows(), refit == null ? null : refit.modelPath(), wallMs, utilisation,
        version(), spark.version(), previous.map(StudyRow::createdAt).orElse(now), now, profile);
  }

  /** The SHA-256 of {@code text} in hex: a stored spec's identity. */
  public static String hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** This build's version from the jar's manifest; "dev" when run from classes. */
  public static String version() {
    String v = SparkStudy.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
