package io.tunelake.study;

import java.util.List;

/**
 * Scores a batch of suggestions. Implementations evaluate the batch's trials concurrently and
 * report a failing trial as a FAILED {@link Evaluation} instead of throwing, so the study goes
 * on; they throw only when nothing of the batch can be evaluated.
 */
public interface Objective {

  /** Returns one evaluation per suggestion, in the order of {@code batch}. */
  List<Evaluation> evaluate(List<Suggestion> batch);
}
