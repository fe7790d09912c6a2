package io.tunelake.optimize.schedule;

import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Proposal;
import java.util.ArrayList;
import java.util.List;

/** No schedule: every trial the optimizer proposes runs at full budget. */
public record FullBudget() implements Scheduler {
  @Override
  public List<Proposal> next(int n, List<Observation> history, List<Observation> priors, Optimizer optimizer) {
    List<Observation> all = new ArrayList<>(priors);
    all.addAll(history);
    return optimizer.ask(n, all, List.of());
  }
}
