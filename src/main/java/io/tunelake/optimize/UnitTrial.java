package io.tunelake.optimize;

import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished trial as model-based optimizers read it: its point in the unit cube (NaN for
 * inactive parameters), its metric as a loss (smaller is better; NaN when it failed), how it
 * ended, its budget and its position in the history. The array is shared, not copied: callers
 * must not change it.
 */
public record UnitTrial(double[] x, double loss, TrialStatus status, double budget, int order) {

  /** Whether the trial finished with a usable loss. */
  public boolean isComplete() {
    return status == TrialStatus.COMPLETE;
  }

  /** Whether the trial failed, and so carries no loss. */
  public boolean isFailed() {
    return status == TrialStatus.FAILED || Double.isNaN(loss);
  }

  /**
   * The trials of {@code history} in order, as losses under {@code direction}. Observations
   * whose parameters do not fit {@code space} (a warm-start study with another space) are left
   * out: a model cannot place them in the cube.
   */
  public static List<UnitTrial> of(SearchSpace space, Direction direction, List<Observation> history) {
    List<UnitTrial> out = new ArrayList<>(history.size());
    for (int i = 0; i < history.size(); i++) {
      Observation o = history.get(i);
      double[] x;
      try {
        x = space.toUnit(o.params());
      } catch (IllegalArgumentException | ClassCastException e) {
        continue;
      }
      double loss = o.hasValue() ? direction.toLoss(o.value()) : Double.NaN;
      TrialStatus status = o.status();
      if (!Double.isFinite(loss)) {
        loss = Double.NaN;
        status = TrialStatus.FAILED;
      }
      out.add(new UnitTrial(x, loss, status, o.budget(), i));
    }
    return out;
  }
}
