package io.tunelake.optimize.schedule;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Proposal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Synchronous successive halving (Jamieson and Talwalkar 2016) and Hyperband (Li et al. 2017)
 * as a cycle of brackets. A bracket starts {@code n} configurations at one rung's budget; once
 * all are scored, the best {@code n / eta} go on to the next budget, and so on up to 1.0.
 * Successive halving repeats one bracket that starts at the lowest budget; Hyperband cycles
 * through brackets that start at every rung, hedging against a low budget that ranks badly.
 *
 * <p>Stateless: the history, in trial order, is laid along the cycle of stages to find the
 * stage in flight, since every stage is handed out only after the one before it finished.
 */
public record SuccessiveHalving(Rungs rungs, Direction direction, List<Bracket> brackets) implements Scheduler {

  /** One bracket: {@code configs} configurations start at rung {@code firstRung}. */
  public record Bracket(int firstRung, int configs) {}

  public SuccessiveHalving {
    brackets = List.copyOf(brackets);
  }

  /** Successive halving: {@code eta^top} configurations start at the lowest budget, one survives to 1.0. */
  static SuccessiveHalving single(Rungs rungs, Direction direction) {
    int n = (int) Math.round(Math.pow(rungs.eta(), rungs.top()));
    return new SuccessiveHalving(rungs, direction, List.of(new Bracket(0, n)));
  }

  /** Hyperband: brackets s = top .. 0 start {@code ceil((top+1)/(s+1) · eta^s)} configurations at rung top − s. */
  static SuccessiveHalving hyperband(Rungs rungs, Direction direction) {
    int top = rungs.top();
    List<Bracket> brackets = new ArrayList<>();
    for (int s = top; s >= 0; s--) {
      int n = (int) Math.ceil((top + 1.0) / (s + 1) * Math.pow(rungs.eta(), s) - 1e-9);
      brackets.add(new Bracket(top - s, n));
    }
    return new SuccessiveHalving(rungs, direction, brackets);
  }

  @Override
  public List<Proposal> next(int n, List<Observation> history, List<Observation> priors, Optimizer optimizer) {
    int seen = 0;
    for (int b = 0; ; b++) {
      Bracket bracket = brackets.get(b % brackets.size());
      List<Observation> previous = null;
      for (int r = bracket.firstRung(); r <= rungs.top(); r++) {
        int size = r == bracket.firstRung() ? bracket.configs()
            : Math.min(stageSize(bracket, r), Rungs.ranked(previous, direction).size());
        if (size == 0) {
          break;
        }
        List<Observation> stage = history.subList(seen, Math.min(seen + size, history.size()));
        seen += stage.size();
        if (stage.size() < size) {
          int k = Math.min(n, size - stage.size());
          double budget = rungs.budgets().get(r);
          if (r == bracket.firstRung()) {
            return rungs.fresh(k, history, priors, List.of(), optimizer, budget);
          }
          return promotions(Rungs.ranked(previous, direction).subList(0, size), stage, k, budget);
        }
        previous = stage;
      }
    }
  }

  private int stageSize(Bracket bracket, int rung) {
    return Math.max(1, (int) Math.floor(bracket.configs() / Math.pow(rungs.eta(), rung - bracket.firstRung()) + 1e-9));
  }

  private static List<Proposal> promotions(List<Observation> winners, List<Observation> stage, int k, double budget) {
    Set<String> done = Rungs.keys(stage);
    List<Proposal> out = new ArrayList<>();
    for (Observation o : winners) {
      if (out.size() < k && !done.contains(Rungs.key(o.params()))) {
        out.add(new Proposal(o.params(), Proposal.PROMOTION, budget));
      }
    }
    return out;
  }
}
