package io.tunelake.spark;

import io.tunelake.study.FoldRace;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch under evaluation: its trials, the race between them, and the units of work the
 * fitter queued for them on the fit threads.
 *
 * <p>Every fitter hands what its units throw to {@link #threw}, the one place that decides what
 * a throwable means. An {@link Exception} from a trial's own fit or score fails that trial
 * (FAILED, with its message) and the others go on. The round as a whole is abandoned, and
 * {@link #await} throws instead of returning, when it cannot be evaluated: a unit threw an
 * {@link Error}, was interrupted, or had its Spark job cancelled other than by pruning (the
 * engine is shutting down); or every trial of a batch of two or more failed, all with the same
 * error, which then lies in what the trials share (the evaluator, the data), not in a trial's
 * params. Nothing of an abandoned round is committed, and running the study again evaluates it
 * anew under the same trial ids.
 */
final class Round {
  private static final Logger LOG = LoggerFactory.getLogger(Round.class);

  private final SparkContext sc;
  private final ExecutorService pool;
  private final FoldRace race;
  private final Map<Integer, TrialRun> runs;
  private final Clock clock;
  private final Set<Integer> raced = new HashSet<>();
  private final List<Future<?>> units = new ArrayList<>();
  private final Set<String> jobGroups = new LinkedHashSet<>();
  private final String study;
  /** The root error of each failed trial, by trial id: a batch failing all alike is abandoned. */
  private final Map<Integer, Throwable> errors = new HashMap<>();
  /** What abandoned the round; null while it goes on. */
  private Throwable abandonedBy;

  Round(String study, SparkContext sc, ExecutorService pool, FoldRace race, Map<Integer, TrialRun> runs,
      Clock clock) {
    this.study = study;
    this.sc = sc;
    this.pool = pool;
    this.race = race;
    this.runs = runs;
    this.clock = clock;
  }

  /** Enters {@code run} in the race: its fold scores may prune others, and others' may prune it. */
  synchronized void race(TrialRun run) {
    race.enter(run.trialId(), run.suggestion.budget());
    raced.add(run.trialId());
  }

  /** Whether trials are raced in this round (pruning is on and there are folds to save). */
  boolean racing() {
    return race.prunes();
  }

  /** Whether a trial at {@code budget} can be pruned after its first fold; see {@link FoldRace#decidesAfterOneFold}. */
  boolean decidesAfterOneFold(double budget) {
    return race.decidesAfterOneFold(budget);
  }

  /** Queues a unit of work that runs its Spark jobs in {@code jobGroup}. */
  synchronized void submit(String jobGroup, Runnable unit) {
    jobGroups.add(jobGroup);
    units.add(pool.submit(unit));
  }

  /**
   * Records {@code run}'s score on {@code fold} and prunes every raced trial the race shows can
   * no longer win, cancelling its job group; false if {@code run} had stopped meanwhile.
   */
  boolean scored(TrialRun run, int fold, double score) {
    if (!run.scored(fold, score, clock.instant())) {
      return false;
    }
    if (!isRaced(run)) {
      return true;
    }
    for (int loser : race.record(run.trialId(), fold, score)) {
      TrialRun pruned = runs.get(loser);
      pruned.prune(clock.instant());
      // A fit's jobs come one after another with driver work between them; a plain
      // cancelJobGroup that lands in such a gap cancels nothing and the fit runs on.
      sc.cancelJobGroupAndFutureJobs(pruned.group(), "trial " + loser + " pruned");
      LOG.debug("trial {} pruned after {} folds", loser, pruned.reached());
    }
    return true;
  }

  /** Marks {@code run} failed with {@code message} and takes it out of the race. */
  private void failed(TrialRun run, String message) {
    run.fail(message, clock.instant());
    if (isRaced(run)) {
      race.fail(run.trialId());
    }
  }

  /**
   * Records what a unit of {@code run}'s work threw, as the class comment says: the trial fails
   * with {@code message}, or the round is abandoned and the jobs of its other units cancelled.
   * A trial pruned meanwhile had its fit cancelled under it; that is not a failure.
   */
  void threw(TrialRun run, String message, Throwable e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    if (e instanceof Error || Thread.currentThread().isInterrupted() || sc.isStopped() || isAbandoned()
        || causedBy(e, InterruptedException.class) || causedBy(e, CancellationException.class)) {
      abandon(e);
      return;
    }
    if (run.stopped()) {
      return;
    }
    if (cancelledJob(e)) {
      abandon(e);
      return;
    }
    synchronized (this) {
      errors.putIfAbsent(run.trialId(), e);
    }
    failed(run, message);
    LOG.debug(message, e);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code e} is Spark's word for a cancelled job. Pruning cancels only the pruned
   * trial's own job group (shared stage fits run in groups of their own), so for a trial still
   * running it means someone else cancelled the round's work.
   */
  private static boolean cancelledJob(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SparkException && c.getMessage() != null && c.getMessage().matches("(?s)Job \\d+ cancelled.*")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The error every trial of a batch of two or more failed with, when they all failed with the
   * same one; null otherwise. One trial alone failing says nothing about the others.
   */
  private synchronized Throwable failedAlike() {
    if (runs.size() < 2 || errors.size() < runs.size()) {
      return null;
    }
    long distinct = errors.values().stream().map(SparkCrossValidation::rootMessage).distinct().count();
    return distinct == 1 ? errors.values().iterator().next() : null;
  }

  private int round() {
    return runs.values().iterator().next().suggestion.round();
  }

  private synchronized boolean isAbandoned() {
    return abandonedBy != null;
  }

  private void abandon(Throwable e) {
    List<String> groups;
    synchronized (this) {
      if (abandonedBy != null) {
        return;
      }
      abandonedBy = e;
      groups = List.copyOf(jobGroups);
    }
    LOG.debug("round abandoned", e);
    if (!sc.isStopped()) {
      groups.forEach(g -> sc.cancelJobGroupAndFutureJobs(g, "round abandoned"));
    }
  }

  private synchronized boolean isRaced(TrialRun run) {
    return raced.contains(run.trialId());
  }

  /** Waits for every queued unit; on interrupt cancels them and their Spark jobs. */
  void await() {
    List<Future<?>> all;
    synchronized (this) {
      all = List.copyOf(units);
    }
    for (Future<?> u : all) {
      try {
        u.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        all.forEach(f -> f.cancel(true));
        jobGroups.forEach(g -> sc.cancelJobGroupAndFutureJobs(g, "round interrupted"));
        throw new IllegalStateException("interrupted while evaluating a round", e);
      } catch (ExecutionException e) {
        // The units hand what a fit throws to threw(); reaching here is a bug in the unit itself.
        abandon(e.getCause());
      }
    }
    Throwable cause = abandonedBy != null ? abandonedBy : failedAlike();
    if (cause == null) {
      return;
    }
    String why = abandonedBy != null ? SparkCrossValidation.rootMessage(cause)
        : "every trial of it failed with " + SparkCrossValidation.rootMessage(cause);
    String message = String.format("round %d of study '%s' could not be evaluated and is abandoned, nothing of it "
        + "committed: %s; fix the cause and run the study again: it continues with trial %d", round(), study, why,
        runs.keySet().stream().mapToInt(Integer::intValue).min().orElse(0));
    if (cause instanceof Error error) {
      error.addSuppressed(new IllegalStateException(message));
      throw error;
    }
    throw new IllegalStateException(message, cause);
  }
}
