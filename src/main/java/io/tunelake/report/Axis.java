package io.tunelake.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One axis of the parallel coordinates: maps a parameter's values to [0, 1] over the range the
 * plotted trials cover, through log10 for log-scaled parameters and by sorted position for
 * categorical ones.
 */
record Axis(boolean log, double low, double high, List<String> categories) {

  Axis {
    categories = categories == null ? null : List.copyOf(categories);
  }

  /** The axis for {@code values} (nulls are missing values), or null when they take fewer than two values. */
  static Axis of(List<Object> values, boolean logScaled) {
    List<Object> present = values.stream().filter(Objects::nonNull).toList();
    if (present.isEmpty()) {
      return null;
    }
    if (present.stream().allMatch(v -> v instanceof Number)) {
      boolean log = logScaled && present.stream().allMatch(v -> ((Number) v).doubleValue() > 0);
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (Object v : present) {
        double x = ((Number) v).doubleValue();
        if (Double.isNaN(x)) {
          continue;
        }
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      return lo < hi ? new Axis(log, lo, hi, null) : null;
    }
    TreeSet<String> distinct = new TreeSet<>();
    present.forEach(v -> distinct.add(StudyReport.value(v)));
    return distinct.size() < 2 ? null : new Axis(false, 0, distinct.size() - 1, new ArrayList<>(distinct));
  }

  /** Where {@code value} sits on the axis, in [0, 1]; NaN when it is missing. */
  double position(Object value) {
    if (value == null) {
      return Double.NaN;
    }
    if (categories != null) {
      int i = categories.indexOf(StudyReport.value(value));
      return i < 0 ? Double.NaN : i / high;
    }
    double x = ((Number) value).doubleValue();
    if (log) {
      return (Math.log10(x) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
    }
    return (x - low) / (high - low);
  }

  String lowLabel() {
    return categories != null ? categories.get(0) : StudyReport.compact(low);
  }

  String highLabel() {
    return categories != null ? categories.get(categories.size() - 1) : StudyReport.compact(high);
  }
}
