package io.tunelake.optimize;

/** Whether a metric is better when smaller (RMSE) or larger (AUC). */
public enum Direction {
  MINIMIZE,
  MAXIMIZE;

  /** The metric as a loss: smaller is always better. */
  public double toLoss(double value) {
    return this == MINIMIZE ? value : -value;
  }

  /** Whether {@code a} is strictly better than {@code b}; NaN is never better. */
  public boolean isBetter(double a, double b) {
    if (Double.isNaN(a)) {
      return false;
    }
    if (Double.isNaN(b)) {
      return true;
    }
    return this == MINIMIZE ? a < b : a > b;
  }

  /** The direction of a metric for which larger values are better when {@code largerIsBetter}. */
  public static Direction of(boolean largerIsBetter) {
    return largerIsBetter ? MAXIMIZE : MINIMIZE;
  }
}
