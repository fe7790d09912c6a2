package io.tunelake.optimize.schedule;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Proposal;
import java.util.List;

/**
 * Decides at which budget trials run, composing with any {@link Optimizer}: new configurations
 * come from the optimizer, promotions to a higher budget from the results so far. Like an
 * optimizer it keeps no state: everything comes from the study's own {@code history}, in trial
 * order, so a resumed study continues the same schedule.
 */
public sealed interface Scheduler permits FullBudget, Asha, SuccessiveHalving {

  /**
   * The next {@code n} jobs at most (fewer when a synchronous rung must finish first, or when
   * the optimizer's space is exhausted).
   *
   * @param history the study's own finished trials, in trial order
   * @param priors finished trials of warm-start studies, for the optimizer only
   */
  List<Proposal> next(int n, List<Observation> history, List<Observation> priors, Optimizer optimizer);

  /** The scheduler a spec's {@code search.scheduler.type} names. */
  static Scheduler of(String type, double eta, double minBudget, Direction direction) {
    switch (type) {
      case "none":
        return new FullBudget();
      case "asha":
        return new Asha(Rungs.of(eta, minBudget), direction);
      case "successive_halving":
        return SuccessiveHalving.single(Rungs.of(eta, minBudget), direction);
      case "hyperband":
        return SuccessiveHalving.hyperband(Rungs.of(eta, minBudget), direction);
      default:
        throw new IllegalArgumentException("unknown scheduler '" + type
            + "'; expected none, successive_halving, asha or hyperband");
    }
  }
}
