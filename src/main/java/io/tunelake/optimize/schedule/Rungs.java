package io.tunelake.optimize.schedule;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.space.ParamsJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The budgets of a multi-fidelity schedule, {@code minBudget · eta^r} for r = 0, 1, ... with the
 * last rung at 1.0, and what the schedulers share: ranking a rung, asking the optimizer for
 * configurations it has not seen at any budget.
 */
public record Rungs(double eta, List<Double> budgets) {
  private static final double TOLERANCE = 1e-9;
  /** Complete trials a budget needs before the optimizer models it instead of a lower one. */
  static final int MIN_MODEL_TRIALS = 6;

  public static Rungs of(double eta, double minBudget) {
    if (!(eta >= 2)) {
      throw new IllegalArgumentException("eta must be >= 2, but got " + eta);
    }
    if (!(minBudget > 0 && minBudget * eta <= 1 + TOLERANCE)) {
      throw new IllegalArgumentException("min budget must be in (0, 1/eta], but got " + minBudget);
    }
    List<Double> budgets = new ArrayList<>();
    for (double b = minBudget; b < 1 - 1e-6; b *= eta) {
      budgets.add(b);
    }
    budgets.add(1.0);
    return new Rungs(eta, List.copyOf(budgets));
  }

  int top() {
    return budgets.size() - 1;
  }

  /** The rung of {@code budget}, or -1 when it is none of this schedule's budgets. */
  int rungOf(double budget) {
    for (int r = 0; r < budgets.size(); r++) {
      if (Math.abs(budgets.get(r) - budget) <= 1e-6 * budgets.get(r)) {
        return r;
      }
    }
    return -1;
  }

  /** The observations at rung {@code r}, in trial order. */
  List<Observation> at(int r, List<Observation> history) {
    List<Observation> out = new ArrayList<>();
    for (Observation o : history) {
      if (rungOf(o.budget()) == r) {
        out.add(o);
      }
    }
    return out;
  }

  /**
   * The observations best first: complete trials by value (earlier first on ties), then pruned
   * and failed ones, which are never promoted.
   */
  static List<Observation> ranked(List<Observation> rung, Direction direction) {
    List<Observation> complete = new ArrayList<>();
    for (Observation o : rung) {
      if (o.status() == TrialStatus.COMPLETE && o.hasValue()) {
        complete.add(o);
      }
    }
    Comparator<Observation> best = Comparator.comparingDouble(Observation::value);
    complete.sort(direction == Direction.MAXIMIZE ? best.reversed() : best);
    return complete;
  }

  /** A configuration's identity across budgets. */
  static String key(Map<String, Object> params) {
    return ParamsJson.write(new TreeMap<>(params));
  }

  static Set<String> keys(List<Observation> observations) {
    Set<String> out = new HashSet<>();
    observations.forEach(o -> out.add(key(o.params())));
    return out;
  }

  /**
   * Asks the optimizer for {@code n} new configurations at {@code budget}, BOHB style: the optimizer
   * models the highest budget with enough complete trials (with the warm-start priors), and
   * every configuration tried at another budget or already handed out counts as pending, so it
   * is not proposed again.
   */
  List<Proposal> fresh(int n, List<Observation> history, List<Observation> priors, List<Proposal> handedOut,
      Optimizer optimizer, double budget) {
    if (n <= 0) {
      return List.of();
    }
    int modelRung = 0;
    for (int r = top(); r > 0; r--) {
      if (at(r, history).stream().filter(o -> o.status() == TrialStatus.COMPLETE).count() >= MIN_MODEL_TRIALS) {
        modelRung = r;
        break;
      }
    }
    List<Observation> model = new ArrayList<>(priors);
    model.addAll(at(modelRung, history));
    Set<String> modelled = keys(model);
    List<Map<String, Object>> pending = new ArrayList<>();
    Set<String> added = new HashSet<>();
    for (Observation o : history) {
      String k = key(o.params());
      if (!modelled.contains(k) && added.add(k)) {
        pending.add(o.params());
      }
    }
    handedOut.forEach(j -> pending.add(j.params()));
    List<Proposal> out = new ArrayList<>();
    for (Proposal p : optimizer.ask(n, model, pending)) {
      out.add(p.withBudget(budget));
    }
    return out;
  }
}
