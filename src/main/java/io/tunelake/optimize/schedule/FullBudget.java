package io.tunelake.optimize.schedule;

import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** No schedule: every trial the optimizer proposes runs at full budget. */
public record FullBudget() implements Scheduler {
  @Override
  public List<Job> next(int n, List<Observation> history, List<Observation> priors, Optimizer optimizer) {
    List<Observation> all = new ArrayList<>(priors);
    all.addAll(history);
    List<Job> out = new ArrayList<>();
    for (Map<String, Object> p : optimizer.ask(n, all, List.of())) {
      out.add(new Job(p, 1.0));
    }
    return out;
  }
}
