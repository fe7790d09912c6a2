package io.tunelake.optimize;

import io.tunelake.space.SearchSpace;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The assignments already tried or handed out, by {@link SearchSpace#key}, so that a batch never
 * repeats a finished (including a failed) or pending trial, nor itself.
 */
public final class Seen {
  private final Set<String> keys = new HashSet<>();

  private Seen() {}

  /** Everything in {@code history} and {@code pending}. */
  public static Seen of(List<Observation> history, List<Map<String, Object>> pending) {
    Seen seen = new Seen();
    history.forEach(o -> seen.keys.add(SearchSpace.key(o.params())));
    pending.forEach(p -> seen.keys.add(SearchSpace.key(p)));
    return seen;
  }

  /** Whether {@code params} was tried or handed out. */
  public boolean contains(Map<String, Object> params) {
    return keys.contains(SearchSpace.key(params));
  }

  /** Records {@code params}; returns false when it was already there. */
  public boolean add(Map<String, Object> params) {
    return keys.add(SearchSpace.key(params));
  }
}
