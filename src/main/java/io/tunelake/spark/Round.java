package io.tunelake.spark;

import io.tunelake.study.FoldRace;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch under evaluation: its trials, the race between them, and the units of work the
 * fitter queued for them on the fit threads.
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

  Round(SparkContext sc, ExecutorService pool, FoldRace race, Map<Integer, TrialRun> runs, Clock clock) {
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
  void failed(TrialRun run, String message) {
    run.fail(message, clock.instant());
    if (isRaced(run)) {
      race.fail(run.trialId());
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
        // The units catch everything a fit throws; reaching here is a bug in the unit itself.
        throw new IllegalStateException(e.getCause());
      }
    }
  }
}
