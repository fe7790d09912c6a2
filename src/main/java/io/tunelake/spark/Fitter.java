package io.tunelake.spark;

import java.util.List;

/**
 * How a study's trials are fitted and scored on its featurized folds: one strategy per study,
 * chosen once when the folds are prepared ({@link SingleFitter}: one MLlib fit per trial and
 * fold; {@link FusedLogisticFitter}: a round's logistic regressions in lockstep). A fitter
 * queues its units of work on the {@link Round}, records every fold score there (which races
 * the trials when pruning is on) and hands whatever a unit throws to {@link Round#threw}, which
 * alone decides whether the trial fails (the others go on) or the round is abandoned.
 */
interface Fitter extends AutoCloseable {

  /** Queues the work that fits and scores every fold of {@code trials} in {@code round}. */
  void schedule(List<TrialRun> trials, Round round);

  /** Releases what the strategy holds for the study (cached blocks, threads). */
  @Override
  default void close() {}
}
