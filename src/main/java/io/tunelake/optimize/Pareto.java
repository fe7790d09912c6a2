package io.tunelake.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto dominance over loss vectors (every objective as a loss: smaller is better). A point
 * dominates another when it is no worse in every objective and better in at least one. Sorting
 * follows Deb et al. 2002 (NSGA-II): fronts of mutually non-dominated points, each dominated
 * only by points of earlier fronts; with constraints, every feasible point ranks before every
 * infeasible one (constrained domination, section V of the paper, with violations counted, not
 * measured). Crowding distance is the paper's: per objective, the normalised gap between a
 * point's neighbours, infinite at the ends.
 */
public final class Pareto {
  private Pareto() {}

  /** Whether {@code a} dominates {@code b}: no worse in every objective, better in one. */
  public static boolean dominates(double[] a, double[] b) {
    boolean better = false;
    for (int i = 0; i < a.length; i++) {
      if (a[i] > b[i]) {
        return false;
      }
      if (a[i] < b[i]) {
        better = true;
      }
    }
    return better;
  }

  /**
   * The non-dominated fronts of {@code losses} (indices, first front first), feasible points
   * before infeasible ones; within a front, indices ascend.
   */
  public static List<int[]> fronts(double[][] losses, boolean[] feasible) {
    int n = losses.length;
    List<Integer>[] dominated = new List[n];
    int[] count = new int[n];
    for (int i = 0; i < n; i++) {
      dominated[i] = new ArrayList<>();
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (constrainedDominates(losses, feasible, i, j)) {
          dominated[i].add(j);
          count[j]++;
        } else if (constrainedDominates(losses, feasible, j, i)) {
          dominated[j].add(i);
          count[i]++;
        }
      }
    }
    List<int[]> fronts = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (count[i] == 0) {
        current.add(i);
      }
    }
    while (!current.isEmpty()) {
      fronts.add(current.stream().mapToInt(Integer::intValue).sorted().toArray());
      List<Integer> next = new ArrayList<>();
      for (int i : current) {
        for (int j : dominated[i]) {
          if (--count[j] == 0) {
            next.add(j);
          }
        }
      }
      current = next;
    }
    return fronts;
  }

  /** The fronts of unconstrained points. */
  public static List<int[]> fronts(double[][] losses) {
    boolean[] all = new boolean[losses.length];
    Arrays.fill(all, true);
    return fronts(losses, all);
  }

  private static boolean constrainedDominates(double[][] losses, boolean[] feasible, int a, int b) {
    if (feasible[a] != feasible[b]) {
      return feasible[a];
    }
    return dominates(losses[a], losses[b]);
  }

  /**
   * The crowding distance of each member of {@code front} (indices into {@code losses}), in the
   * front's order: the sum over objectives of the gap between its neighbours divided by the
   * objective's range in the front; the extremes of each objective get infinity.
   */
  public static double[] crowding(double[][] losses, int[] front) {
    int n = front.length;
    double[] distance = new double[n];
    if (n == 0) {
      return distance;
    }
    int m = losses[front[0]].length;
    for (int k = 0; k < m; k++) {
      final int obj = k;
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingDouble(i -> losses[front[i]][obj]));
      double low = losses[front[order[0]]][k];
      double high = losses[front[order[n - 1]]][k];
      distance[order[0]] = Double.POSITIVE_INFINITY;
      distance[order[n - 1]] = Double.POSITIVE_INFINITY;
      if (high == low) {
        continue;
      }
      for (int i = 1; i < n - 1; i++) {
        distance[order[i]] += (losses[front[order[i + 1]]][k] - losses[front[order[i - 1]]][k]) / (high - low);
      }
    }
    return distance;
  }

  /**
   * The exact hypervolume that {@code points} dominate up to {@code reference} (every objective
   * a loss); points not strictly better than the reference in every objective add nothing.
   * Slices along the last objective recursively, which is quick for the few objectives and few
   * hundred points of a study.
   */
  public static double hypervolume(double[][] points, double[] reference) {
    List<double[]> inside = new ArrayList<>();
    for (double[] p : points) {
      boolean in = true;
      for (int k = 0; k < reference.length; k++) {
        in &= p[k] < reference[k];
      }
      if (in) {
        inside.add(p);
      }
    }
    return volume(inside, reference, reference.length);
  }

  private static double volume(List<double[]> points, double[] reference, int dims) {
    if (points.isEmpty()) {
      return 0;
    }
    if (dims == 1) {
      double best = Double.POSITIVE_INFINITY;
      for (double[] p : points) {
        best = Math.min(best, p[0]);
      }
      return reference[0] - best;
    }
    int last = dims - 1;
    List<double[]> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.comparingDouble(p -> p[last]));
    double total = 0;
    List<double[]> slab = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      slab.add(sorted.get(i));
      double top = i + 1 < sorted.size() ? sorted.get(i + 1)[last] : reference[last];
      double height = top - sorted.get(i)[last];
      if (height > 0) {
        total += height * volume(slab, reference, last);
      }
    }
    return total;
  }
}
