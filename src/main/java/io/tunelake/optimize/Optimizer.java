package io.tunelake.optimize;

import java.util.List;
import java.util.Map;

/**
 * Proposes what to try next. An optimizer keeps no state between calls: everything it knows
 * comes from {@code history}, so a study rebuilt from its tables proposes the same trials, and
 * the same seed, history and pending list always give the same batch.
 */
public interface Optimizer {

  /**
   * Returns {@code n} assignments to evaluate next (fewer only when the space is exhausted, as
   * a finished grid is).
   *
   * @param n how many assignments the round can evaluate
   * @param history every finished trial of the study and of its warm-start studies
   * @param pending assignments already handed out but not finished
   */
  List<Map<String, Object>> ask(int n, List<Observation> history, List<Map<String, Object>> pending);

  /** The algorithm's name in {@link Optimizers}: {@code random}, {@code tpe}, ... */
  String name();

  /**
   * The same batch as {@link #ask}, each assignment with who proposed it. By default every one
   * comes from {@link #name()}; model-based optimizers say {@link Proposal#STARTUP} for the slots
   * of their initial design and their model's name for the others.
   */
  default List<Proposal> propose(int n, List<Observation> history, List<Map<String, Object>> pending) {
    return Proposal.all(ask(n, history, pending), name());
  }
}
