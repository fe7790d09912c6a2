package io.tunelake.study;

import java.util.List;

/**
 * Scores a batch of suggestions, each at its budget. Implementations evaluate the batch's trials
 * concurrently and report a failing trial as a FAILED {@link Evaluation} instead of throwing, so
 * the study goes on; they throw only when nothing of the batch can be evaluated. An objective
 * that races trials over folds (see {@link FoldRace}) reports a trial it stopped as PRUNED.
 */
public interface Objective {

  /**
   * Returns one evaluation per suggestion, in the order of {@code batch}; {@code history} holds
   * the study's finished trials, the field a racing objective compares the batch against.
   */
  List<Evaluation> evaluate(List<Suggestion> batch, List<Trial> history);

  /**
   * What a completed trial's evaluation (from the last batch) says is wrong with its model (it
   * diverged, or scores no better than chance), with the likely cause; null when nothing is.
   * Stored with the trial and shown in the study's summary. This default sees nothing.
   */
  default String warning(Evaluation evaluation) {
    return null;
  }
}
