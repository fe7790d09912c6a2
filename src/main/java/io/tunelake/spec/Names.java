package io.tunelake.spec;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Suggests the valid name a misspelt one was meant to be. */
public final class Names {
  private Names() {}

  /** The valid name closest to {@code name} by edit distance, if it is close enough to be a typo. */
  public static Optional<String> nearest(String name, Collection<String> valid) {
    if (name == null) {
      return Optional.empty();
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String v : valid) {
      int d = distance(name.toLowerCase(Locale.ROOT), v.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = v;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, name.length() / 3);
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
