package io.tunelake.spec;

import java.util.ArrayList;
import java.util.List;
import io.tunelake.study.ParetoGoals.Bound;
import io.tunelake.study.ParetoGoals.Select;

/**
 * A study's objectives beyond its metric, as {@code evaluation.objectives},
 * {@code evaluation.constraints} and {@code evaluation.select} give them: the metrics of every
 * objective (the first is the study's metric; empty when the spec names none), the bounds a
 * trial must keep to be feasible, and the rule that picks the trial to report and refit
 * ({@code null}: the knee of the front, or the best metric with one objective).
 */
public record ObjectivesSpec(List<String> metrics, List<Bound> constraints, Select select) {
  // Bound and Select are the study's own types, so the study reads them without importing the spec.
  /** A study with its metric alone. */
  public static final ObjectivesSpec NONE = new ObjectivesSpec(List.of(), List.of(), null);

  public ObjectivesSpec {
    metrics = List.copyOf(metrics);
    constraints = List.copyOf(constraints);
  }

  /** Whether the study has more than one objective. */
  public boolean isMulti() {
    return metrics.size() > 1;
  }

  /**
   * Every metric the objectives, constraints and rule name besides {@code metric} (the study's
   * own), in order of first mention: each is measured per fold like a secondary metric.
   */
  public List<String> measured(String metric) {
    List<String> out = new ArrayList<>();
    List<String> named = new ArrayList<>(metrics);
    constraints.forEach(b -> named.add(b.metric()));
    if (select != null) {
      named.add(select.metric());
      select.subjectTo().forEach(b -> named.add(b.metric()));
    }
    for (String m : named) {
      if (!m.equals(metric) && !out.contains(m)) {
        out.add(m);
      }
    }
    return out;
  }
}
