package io.tunelake.study;

/**
 * What a study's training data look like, stored with the study so that a later study can find
 * earlier studies on similar data ({@code search.warm_start: auto}): rows, feature columns, the
 * share of feature columns that are strings, and for classification the class balance
 * (normalised entropy of the class shares: 1 for equal classes, toward 0 for one dominant
 * class), for regression the label spread (standard deviation over range, in [0, 0.5]).
 * Exactly one of {@code classBalance} and {@code labelSpread} is non-null.
 */
public record DataProfile(long rows, int columns, double stringShare, Double classBalance, Double labelSpread) {
  public DataProfile {
    if (rows < 0 || columns < 0 || !(stringShare >= 0 && stringShare <= 1)) {
      throw new IllegalArgumentException("a data profile needs rows >= 0, columns >= 0 and a string share in [0, 1],"
          + " but got rows=" + rows + ", columns=" + columns + ", stringShare=" + stringShare);
    }
  }
}
