package io.tunelake;

import io.tunelake.study.ParetoGoals;
import java.io.Serializable;

/**
 * A bound on a metric's mean over a trial's folds, {@code min <= mean <= max} (a null side is
 * open): a constraint every trial must keep to be feasible ({@link
 * TuneLakeValidator#setConstraints}) or a limit of the selection rule ({@link Selection}). The
 * metric is one of the task's (such as {@code areaUnderROC}) or a cost: {@code fit_seconds},
 * {@code model_size}, {@code predict_ms_per_1k_rows}, {@code model_size_bytes}. The validator
 * checks it before any Spark job runs.
 *
 * <pre>{@code
 * validator.setConstraints(MetricBound.atMost("fit_seconds", 60), MetricBound.atLeast("areaUnderROC", 0.8));
 * }</pre>
 */
public record MetricBound(String metric, Double min, Double max) implements Serializable {

  /** {@code metric <= max}. */
  public static MetricBound atMost(String metric, double max) {
    return new MetricBound(metric, null, max);
  }

  /** {@code metric >= min}. */
  public static MetricBound atLeast(String metric, double min) {
    return new MetricBound(metric, min, null);
  }

  /** {@code min <= metric <= max}. */
  public static MetricBound between(String metric, double min, double max) {
    return new MetricBound(metric, min, max);
  }

  /** The bound as the study keeps it (the type a job spec's bound becomes too). */
  ParetoGoals.Bound toGoal() {
    return new ParetoGoals.Bound(metric, min, max);
  }

  /** {@code fit_seconds <= 60}, as the summary writes it. */
  @Override
  public String toString() {
    return metric == null ? "MetricBound[no metric]" : toGoal().toString();
  }
}
