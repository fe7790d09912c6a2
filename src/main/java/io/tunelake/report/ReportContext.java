package io.tunelake.report;

import io.tunelake.optimize.Direction;
import io.tunelake.study.ParetoGoals;
import java.util.Objects;
import java.util.Set;

/**
 * What the report says about a study beyond its trials: where the data came from, what was
 * tuned and how the study ended. Everything but the study, metric and direction may be unknown
 * (null), and the report then shows "n/a".
 *
 * @param study the study's name
 * @param metric the metric the trials are scored by
 * @param direction whether larger or smaller scores are better
 * @param estimator the tuned estimator (the pipeline's last stage)
 * @param dataLocation the path or table the rows came from
 * @param folds the number of cross-validation folds (0 when unknown)
 * @param trialBudget the number of trials the spec allows
 * @param wallMs the wall time of the study, in milliseconds
 * @param testMetric the refitted best model's score on the held-out rows
 * @param testRows how many rows were held out
 * @param executorUtilisation the share of executor time spent in tasks, in [0, 1]
 * @param logScaled the parameters searched on a log scale (plotted on a log axis)
 * @param goals the study's objectives, constraints and selection rule; with several objectives
 *     the report draws the Pareto front (the metric alone when null)
 */
public record ReportContext(
    String study,
    String metric,
    Direction direction,
    String estimator,
    String dataLocation,
    int folds,
    Integer trialBudget,
    Long wallMs,
    Double testMetric,
    Long testRows,
    Double executorUtilisation,
    Set<String> logScaled,
    ParetoGoals goals) {

  public ReportContext {
    Objects.requireNonNull(study, "study");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(direction, "direction");
    if (folds < 0) {
      throw new IllegalArgumentException("folds must be >= 0 (0 when unknown), but got " + folds);
    }
    logScaled = logScaled == null ? Set.of() : Set.copyOf(logScaled);
    goals = goals == null ? ParetoGoals.single(metric, direction) : goals;
  }

  /** A context of a study of its metric alone. */
  public ReportContext(String study, String metric, Direction direction, String estimator, String dataLocation,
      int folds, Integer trialBudget, Long wallMs, Double testMetric, Long testRows, Double executorUtilisation,
      Set<String> logScaled) {
    this(study, metric, direction, estimator, dataLocation, folds, trialBudget, wallMs, testMetric, testRows,
        executorUtilisation, logScaled, null);
  }

  /** This context with the study's objectives, constraints and selection rule. */
  public ReportContext withGoals(ParetoGoals goals) {
    return new ReportContext(study, metric, direction, estimator, dataLocation, folds, trialBudget, wallMs, testMetric,
        testRows, executorUtilisation, logScaled, goals);
  }

  /** A context that knows only the study, its metric and direction. */
  public static ReportContext of(String study, String metric, Direction direction) {
    return new ReportContext(study, metric, direction, null, null, 0, null, null, null, null, null, Set.of());
  }
}
