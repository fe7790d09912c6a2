package io.tunelake.optimize;

import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;

/**
 * A complete trial as a multi-objective optimizer reads it: its point in the unit cube (NaN for
 * inactive parameters), one loss per objective (smaller is better), whether it met every
 * constraint and its position in the history. Arrays are shared, not copied.
 */
public record ParetoTrial(double[] x, double[] losses, boolean feasible, int order) {

  /**
   * The complete trials of {@code history} with a finite value for every objective of
   * {@code directions}, as losses. A single objective is the observation's value. Failed and
   * pruned trials, and those whose parameters do not fit {@code space}, are left out.
   */
  public static List<ParetoTrial> of(SearchSpace space, List<Direction> directions, List<Observation> history) {
    List<ParetoTrial> out = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      Observation o = history.get(i);
      double[] losses = losses(o, directions);
      if (o.status() != TrialStatus.COMPLETE || losses == null) {
        continue;
      }
      double[] x;
      try {
        x = space.toUnit(o.params());
      } catch (IllegalArgumentException | ClassCastException e) {
        continue;
      }
      out.add(new ParetoTrial(x, losses, o.feasible(), i));
    }
    return out;
  }

  /** The losses of {@code o} under {@code directions}; null when one is missing or not finite. */
  public static double[] losses(Observation o, List<Direction> directions) {
    List<Double> values = directions.size() == 1 && o.objectives().isEmpty() ? List.of(o.value()) : o.objectives();
    if (values.size() != directions.size()) {
      return null;
    }
    double[] out = new double[values.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = directions.get(k).toLoss(values.get(k));
      if (!Double.isFinite(out[k])) {
        return null;
      }
    }
    return out;
  }

  /** The losses of {@code trials}, one row each. */
  public static double[][] lossMatrix(List<ParetoTrial> trials) {
    double[][] out = new double[trials.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = trials.get(i).losses();
    }
    return out;
  }

  /** Whether each of {@code trials} is feasible. */
  public static boolean[] feasibility(List<ParetoTrial> trials) {
    boolean[] out = new boolean[trials.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = trials.get(i).feasible();
    }
    return out;
  }
}
