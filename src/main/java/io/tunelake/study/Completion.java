package io.tunelake.study;

/**
 * Whether a study still has work: rounds while it holds fewer trials than its budget, and a
 * refit until its record says it finished with a best trial and a saved model. A run of a
 * study with neither left changes nothing.
 */
public final class Completion {
  /** The status of a study whose last run ended with its model saved. */
  public static final String FINISHED = "FINISHED";

  private Completion() {}

  /** Whether {@code trials} committed trials leave room for more under a budget of {@code trialBudget}. */
  public static boolean needsRounds(int trials, int trialBudget) {
    return trials < trialBudget;
  }

  /**
   * Whether the study is done: its budget is spent and its last run recorded status
   * {@code FINISHED}, a best trial and a model.
   */
  public static boolean done(int trials, int trialBudget, String status, Integer bestTrialId, String modelPath) {
    return !needsRounds(trials, trialBudget) && FINISHED.equals(status) && bestTrialId != null && modelPath != null;
  }
}
