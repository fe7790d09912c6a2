package io.tunelake.optimize;

import java.util.List;
import java.util.Map;

/**
 * Proposes what to try next. An optimizer keeps no state between calls: everything it knows
 * comes from {@code history}, so a study rebuilt from its tables proposes the same trials, and
 * the same seed, history and pending list always give the same batch. Made by
 * {@link Optimizers#create}; an algorithm plugs in through {@link Algorithm}.
 */
public interface Optimizer {

  /**
   * Returns {@code n} proposals to evaluate next, at full budget (fewer only when the space is
   * exhausted, as a finished grid is), each saying who proposed it: the startup design
   * ({@link Proposal#STARTUP}), the model ({@link #name()}) or {@code random}.
   *
   * @param n how many assignments the round can evaluate
   * @param history every finished trial of the study and of its warm-start studies
   * @param pending assignments already handed out but not finished
   */
  List<Proposal> ask(int n, List<Observation> history, List<Map<String, Object>> pending);

  /** The algorithm's name in {@link Optimizers}: {@code random}, {@code tpe}, ... */
  String name();
}
