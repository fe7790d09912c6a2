package io.tunelake.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much of the score's variance each parameter explains on its own: a first-order,
 * fANOVA-style decomposition estimated straight from the trial table, without a surrogate model.
 *
 * <p>For each parameter the trials are grouped (a categorical parameter by value; a numeric one
 * into about √n quantile bins, so a log scale needs no special case) and the share of the score's
 * variance between the groups is taken as epsilon squared, {@code (SS_between - (g-1) MS_within) /
 * SS_total}, clipped at 0. Unlike the raw share (eta squared) it does not grow just because a
 * parameter has more groups, so a parameter that does nothing scores near 0. It measures main
 * effects only: interactions are not attributed, and with few trials the numbers are rough.
 */
final class ParameterImportance {
  private ParameterImportance() {}

  /** One parameter's share of the score's variance, in [0, 1]. */
  record Importance(String parameter, double share) {}

  /** Fewer trials than this leave too little to split between groups. */
  static final int MIN_TRIALS = 4;

  /**
   * The importance of each parameter that takes more than one value among {@code rows}, largest
   * first; empty when there are fewer than {@link #MIN_TRIALS} rows or the scores do not vary.
   * A parameter set in some rows only (a model family's own, in a study over families) is
   * measured among the rows that set it: the share of their variance it explains, so that
   * whether it is set at all, which is the family's effect, is not credited to it.
   */
  static List<Importance> of(List<Map<String, Object>> params, List<Double> scores) {
    if (params.size() != scores.size()) {
      throw new IllegalArgumentException("one score per parameter assignment expected, but got " + params.size()
          + " assignments and " + scores.size() + " scores");
    }
    List<Importance> out = new ArrayList<>();
    if (scores.size() < MIN_TRIALS || !(sumOfSquares(scores) > 0)) {
      return out;
    }
    List<String> names = new ArrayList<>();
    params.forEach(p -> p.keySet().stream().filter(k -> !names.contains(k)).forEach(names::add));
    for (String name : names) {
      List<Map<String, Object>> setting = new ArrayList<>();
      List<Double> scored = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) {
        if (params.get(i).get(name) != null) {
          setting.add(params.get(i));
          scored.add(scores.get(i));
        }
      }
      double share = share(setting, scored, name);
      if (!Double.isNaN(share)) {
        out.add(new Importance(name, share));
      }
    }
    out.sort(Comparator.comparingDouble(Importance::share).reversed().thenComparing(Importance::parameter));
    return out;
  }

  /** Epsilon squared of {@code name} over rows that all set it; NaN when it cannot be told. */
  private static double share(List<Map<String, Object>> params, List<Double> scores, String name) {
    int n = scores.size();
    double total = sumOfSquares(scores);
    if (n < MIN_TRIALS || !(total > 0)) {
      return Double.NaN;
    }
    double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    int[] group = groups(params, name);
    int g = 0;
    for (int x : group) {
      g = Math.max(g, x + 1);
    }
    if (g < 2 || n - g < 1) {
      return Double.NaN;
    }
    double[] sum = new double[g];
    int[] count = new int[g];
    for (int i = 0; i < n; i++) {
      sum[group[i]] += scores.get(i);
      count[group[i]]++;
    }
    double between = 0;
    for (int j = 0; j < g; j++) {
      double m = sum[j] / count[j];
      between += count[j] * (m - mean) * (m - mean);
    }
    double within = total - between;
    return Math.max(0, Math.min(1, (between - (g - 1) * within / (n - g)) / total));
  }

  private static double sumOfSquares(List<Double> scores) {
    double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double total = 0;
    for (double s : scores) {
      total += (s - mean) * (s - mean);
    }
    return total;
  }

  /** The group of each row for one parameter: by value when few or not numeric, else by quantile. */
  private static int[] groups(List<Map<String, Object>> params, String name) {
    int n = params.size();
    int[] group = new int[n];
    boolean numeric = params.stream().allMatch(p -> p.get(name) instanceof Number);
    TreeMap<String, Integer> distinct = new TreeMap<>();
    for (Map<String, Object> p : params) {
      distinct.putIfAbsent(String.valueOf(p.get(name)), 0);
    }
    int bins = Math.max(2, (int) Math.round(Math.sqrt(n)));
    if (!numeric || distinct.size() <= bins) {
      int j = 0;
      for (Map.Entry<String, Integer> e : distinct.entrySet()) {
        e.setValue(j++);
      }
      for (int i = 0; i < n; i++) {
        group[i] = distinct.get(String.valueOf(params.get(i).get(name)));
      }
      return group;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingDouble(i -> ((Number) params.get(i).get(name)).doubleValue()));
    for (int r = 0; r < n; r++) {
      group[order[r]] = (int) ((long) r * bins / n);
    }
    return group;
  }
}
