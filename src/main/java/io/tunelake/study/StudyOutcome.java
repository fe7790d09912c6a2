package io.tunelake.study;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.TrialStatus;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The trials of a study after a run, with the number this run added, why it ended and how long
 * it took, and the study's objectives and selection rule ({@link ParetoGoals}).
 */
public record StudyOutcome(
    String study, String metric, Direction direction, List<Trial> trials, int added, StopReason stopReason,
    Duration wall, ParetoGoals goals) {

  public StudyOutcome {
    trials = List.copyOf(trials);
    goals = goals == null ? ParetoGoals.single(metric, direction) : goals;
  }

  /** The outcome of a study of its metric alone. */
  public StudyOutcome(String study, String metric, Direction direction, List<Trial> trials, int added,
      StopReason stopReason, Duration wall) {
    this(study, metric, direction, trials, added, stopReason, wall, null);
  }

  /**
   * The complete full-budget trial the study's rule picks (the best mean score for a study of
   * its metric alone; see {@link ParetoGoals#best}), the one to refit; ties go to the earlier
   * trial. Empty when no trial completed at full budget: a multi-fidelity study's lower-budget
   * scores are not the model a refit trains.
   */
  public Optional<Trial> best() {
    return goals.best(trials).filter(t -> t.budget() >= 1);
  }

  /** Why {@link #best()} is empty, in a sentence that starts after the study's name and trial count. */
  public String whyNoBest() {
    Optional<Trial> below = best(trials, direction);
    if (below.isEmpty()) {
      return "none completed";
    }
    Trial b = below.get();
    return "none completed at full budget (the best, trial " + b.trialId() + ", completed only at budget "
        + Format.number(b.budget()) + ", and its run at full budget did not complete)";
  }

  /** How many trials ended in each status. */
  public Map<TrialStatus, Integer> countsByStatus() {
    return countByStatus(trials);
  }

  /**
   * The complete trial of {@code trials} with the best mean score at the highest budget any
   * complete trial reached (a multi-fidelity study's low-budget scores are not comparable with
   * full ones); ties go to the earlier trial.
   */
  public static Optional<Trial> best(List<Trial> trials, Direction direction) {
    double top = 0;
    for (Trial t : trials) {
      if (t.status() == TrialStatus.COMPLETE && !Double.isNaN(t.value())) {
        top = Math.max(top, t.budget());
      }
    }
    Trial best = null;
    for (Trial t : trials) {
      if (t.status() == TrialStatus.COMPLETE && !Double.isNaN(t.value()) && t.budget() == top
          && (best == null || direction.isBetter(t.value(), best.value()))) {
        best = t;
      }
    }
    return Optional.ofNullable(best);
  }

  /** How many of {@code trials} ended in each status (every status present, zero if none). */
  public static Map<TrialStatus, Integer> countByStatus(List<Trial> trials) {
    Map<TrialStatus, Integer> counts = new EnumMap<>(TrialStatus.class);
    for (TrialStatus s : TrialStatus.values()) {
      counts.put(s, 0);
    }
    trials.forEach(t -> counts.merge(t.status(), 1, Integer::sum));
    return counts;
  }
}
