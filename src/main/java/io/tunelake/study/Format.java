package io.tunelake.study;

/** How scores read in logs and on the console: "0.9121 ± 0.0043". */
public final class Format {
  private Format() {}

  /** The mean with the half-width of its confidence interval, when there is one. */
  public static String score(FoldStats stats) {
    if (Double.isNaN(stats.mean())) {
      return "n/a";
    }
    if (Double.isNaN(stats.ciLow())) {
      return number(stats.mean());
    }
    return number(stats.mean()) + " ± " + number(stats.halfWidth());
  }

  /** Four significant decimals for metrics near 1, plain notation for large ones (RMSE in dollars). */
  public static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format("%.0f", v);
    }
    if (a >= 1 || a == 0) {
      return String.format("%.4f", v);
    }
    return String.format("%.4g", v);
  }

  /** "2m05s", "48s", "1h02m". */
  public static String duration(java.time.Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s >= 3600) {
      return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    if (s >= 60) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return s + "s";
  }
}
