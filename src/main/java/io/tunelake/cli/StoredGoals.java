package io.tunelake.cli;

import io.tunelake.delta.StudyRow;
import io.tunelake.optimize.Direction;
import io.tunelake.spark.SparkMetrics;
import io.tunelake.spec.JobSpecParser;
import io.tunelake.spec.ObjectivesSpec;
import io.tunelake.study.ParetoGoals;
import io.tunelake.study.Trial;
import java.util.List;
import java.util.Optional;

/**
 * The objectives, constraints and selection rule of a stored study, for the commands that read
 * the tables ({@code trials}, {@code best}, {@code report}): read from the spec stored with the
 * study, each objective's direction as {@code tune} gives it. Nothing here starts Spark.
 */
final class StoredGoals {
  private StoredGoals() {}

  /**
   * The goals of the study in {@code row}; without a row, or when its stored spec no longer
   * parses (said on stderr), the metric of {@code trials} alone, larger is better unless the row
   * says otherwise.
   */
  static ParetoGoals of(Optional<StudyRow> row, List<Trial> trials) {
    if (row.isEmpty()) {
      return ParetoGoals.single(trials.get(0).metric(), Direction.MAXIMIZE);
    }
    StudyRow r = row.get();
    Direction direction = Direction.valueOf(r.direction());
    if (r.specYaml() == null || !JobSpecParser.declaresGoals(r.specYaml())) {
      return ParetoGoals.single(r.metric(), direction);
    }
    ObjectivesSpec objectives = ObjectivesSpec.NONE;
    try {
      objectives = JobSpecParser.parse(r.specYaml(), List.of()).evaluation().objectives();
    } catch (RuntimeException e) {
      System.err.println("tunelake: the spec stored with study '" + r.study() + "' does not parse ("
          + e.getMessage() + "); showing it as a study of " + r.metric() + " alone");
    }
    return SparkMetrics.goals(r.metric(), direction, objectives);
  }

  /** Whether the study picks its best trial by a rule beyond its metric: several objectives, constraints or select. */
  static boolean hasRule(ParetoGoals goals) {
    return goals.isMulti() || goals.select() != null || !goals.constraints().isEmpty();
  }
}
