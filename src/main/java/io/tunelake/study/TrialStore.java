package io.tunelake.study;

import java.util.List;

/**
 * Where a study's trials live. The store is the study's only state: {@link #history} gives back
 * every committed trial, and {@link #commit} adds a round's trials at once, keeping each
 * {@code (study, trialId)} once however often the same round is committed.
 */
public interface TrialStore {

  /** Every committed trial of {@code study}, ordered by trial id. */
  List<Trial> history(String study);

  /** Adds the trials of one round atomically; trials already stored are left as they are. */
  void commit(List<Trial> trials);
}
