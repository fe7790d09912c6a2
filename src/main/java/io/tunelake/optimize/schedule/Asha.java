package io.tunelake.optimize.schedule;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Proposal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Asynchronous successive halving (Li et al. 2018, "Massively parallel hyperparameter tuning"):
 * every free slot goes to a promotion if some configuration is in the top {@code 1/eta} of its
 * rung and not yet promoted (highest rung first), else to a new configuration at the lowest
 * budget. No rung waits for another to fill, so the concurrent pool never idles on a straggler.
 */
public record Asha(Rungs rungs, Direction direction) implements Scheduler {

  @Override
  public List<Proposal> next(int n, List<Observation> history, List<Observation> priors, Optimizer optimizer) {
    List<Proposal> out = new ArrayList<>();
    while (out.size() < n) {
      Proposal promotion = promotion(history, out);
      if (promotion == null) {
        break;
      }
      out.add(promotion);
    }
    out.addAll(rungs.fresh(n - out.size(), history, priors, out, optimizer, rungs.budgets().get(0)));
    return out;
  }

  /** The best configuration that earned a promotion and has not had it, or null. */
  private Proposal promotion(List<Observation> history, List<Proposal> handedOut) {
    for (int r = rungs.top() - 1; r >= 0; r--) {
      List<Observation> rung = rungs.at(r, history);
      int earned = (int) Math.floor(rung.size() / rungs.eta());
      List<Observation> ranked = Rungs.ranked(rung, direction);
      Set<String> above = new HashSet<>(Rungs.keys(rungs.at(r + 1, history)));
      double next = rungs.budgets().get(r + 1);
      handedOut.stream().filter(j -> j.budget() == next).forEach(j -> above.add(Rungs.key(j.params())));
      for (Observation o : ranked.subList(0, Math.min(earned, ranked.size()))) {
        if (!above.contains(Rungs.key(o.params()))) {
          return new Proposal(o.params(), Proposal.PROMOTION, next);
        }
      }
    }
    return null;
  }
}
