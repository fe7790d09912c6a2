package io.tunelake.study;

/**
 * Where a run's time went, in milliseconds: reading the data, the split and the fold
 * assignment ({@code data}); fitting the featurization of every fold and caching the folds
 * ({@code featurize}); the rounds ({@code rounds}); the refit, held-out score and saved model
 * ({@code refit}). A phase the run skipped is 0.
 */
public record Phases(long dataMs, long featurizeMs, long roundsMs, long refitMs) {
  /** A run that did nothing. */
  public static final Phases NONE = new Phases(0, 0, 0, 0);
}
