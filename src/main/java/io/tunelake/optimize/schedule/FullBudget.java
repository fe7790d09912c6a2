package io.tunelake.optimize.schedule;

import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Proposal;
import java.util.ArrayList;
import java.util.List;

/** No schedule: every trial the optimizer proposes runs at full budget. */
public record FullBudget() implements Scheduler {
  @Override
  public List<Job> next(int n, List<Observation> history, List<Observation> priors, Optimizer optimizer) {
    List<Observation> all = new ArrayList<>(priors);
    all.addAll(history);
    List<Job> out = new ArrayList<>();
    for (Proposal p : optimizer.propose(n, all, List.of())) {
      out.add(new Job(p.params(), 1.0, p.proposer()));
    }
    return out;
  }
}
