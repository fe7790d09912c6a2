package io.tunelake;

import io.tunelake.study.ParetoGoals;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The rule that picks the trial a study reports and refits ({@link
 * TuneLakeValidator#setSelect}): the best feasible trial by one metric, among those within
 * the {@code subjectTo} bounds. Without one, a study with several objectives picks the knee of
 * its Pareto front, and a study of one metric its best trial.
 *
 * <pre>{@code
 * validator.setSelect(Selection.maximize("areaUnderROC", MetricBound.atMost("predict_ms_per_1k_rows", 5)));
 * }</pre>
 */
public record Selection(String metric, boolean maximize, List<MetricBound> subjectTo) implements Serializable {

  public Selection {
    subjectTo = subjectTo == null ? List.of() : List.copyOf(subjectTo);
  }

  /** The trial with the largest {@code metric} among the feasible ones within {@code subjectTo}. */
  public static Selection maximize(String metric, MetricBound... subjectTo) {
    return new Selection(metric, true, Arrays.asList(subjectTo));
  }

  /** The trial with the smallest {@code metric} among the feasible ones within {@code subjectTo}. */
  public static Selection minimize(String metric, MetricBound... subjectTo) {
    return new Selection(metric, false, Arrays.asList(subjectTo));
  }

  /** The rule as the study keeps it (the type a job spec's {@code select} becomes too). */
  ParetoGoals.Select toGoal() {
    return new ParetoGoals.Select(metric, maximize, subjectTo.stream().map(MetricBound::toGoal).toList());
  }

  /** {@code maximize areaUnderROC subject to predict_ms_per_1k_rows <= 5}. */
  @Override
  public String toString() {
    return (maximize ? "maximize " : "minimize ") + metric + (subjectTo.isEmpty() ? ""
        : " subject to " + String.join(" and ", subjectTo.stream().map(MetricBound::toString).toList()));
  }
}
