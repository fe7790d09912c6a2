package io.tunelake.spec;

/**
 * What a study setting expects, in the words every front end uses: the job spec's messages
 * ({@code field 'search.trials': expected a positive number of trials, but got '0'}) and the
 * API's ({@code setting 'trials': expected a positive number of trials, but got 0}) say the
 * same thing because both take it from here.
 */
public final class Expected {
  /** {@code search.trials}, {@code setTrials}. */
  public static final String TRIALS = "a positive number of trials";
  /** {@code search.batch_size}, {@code setBatchSize}. */
  public static final String BATCH_SIZE = "a positive number of trials per round";
  /** {@code search.parallelism}, {@code setParallelism}. */
  public static final String PARALLELISM = "0 (the cluster's cores) or a positive number of concurrent fits";
  /** {@code evaluation.folds}, {@code setNumFolds}. */
  public static final String FOLDS = "at least 2 folds for cross-validation";
  /** {@code search.patience}, {@code setPatience}. */
  public static final String PATIENCE = "0 (off) or a positive number of trials without improvement";
  /** {@code search.pruning.confidence}, {@code setPruningConfidence}. */
  public static final String PRUNING_CONFIDENCE = "a probability in (0.5, 1), such as 0.99";
  /** {@code search.scheduler.eta}, {@code setSchedulerEta}. */
  public static final String SCHEDULER_ETA = "a reduction factor >= 2, such as 3";

  private Expected() {}
}
