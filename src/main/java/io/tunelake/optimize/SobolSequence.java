package io.tunelake.optimize;

import java.util.Random;
import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * A Sobol sequence (Sobol 1967, Joe and Kuo 2008 direction numbers) scrambled by a random
 * digital shift: every coordinate's 52-bit binary fraction is XORed with a seeded random mask.
 * A digital shift keeps the net structure that makes Sobol points even, yet gives every seed
 * its own point set and moves the unshifted sequence's first point off the corner
 * {@code (0, ..., 0)}. Point {@code i} depends only on the seed and {@code i}, so any point can be
 * recomputed from the history alone.
 */
public final class SobolSequence {
  private static final int BITS = 52;
  private static final double SCALE = Math.pow(2, BITS);
  /** Commons Math ships direction numbers for this many dimensions. */
  public static final int MAX_DIMENSION = 1000;
  private final int dimension;
  private final long[] shift;
  private final SobolSequenceGenerator generator;

  /** A sequence in {@code dimension} dimensions scrambled by {@code seed}. */
  public SobolSequence(int dimension, long seed) {
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "a Sobol sequence needs 1 to " + MAX_DIMENSION + " dimensions, but got " + dimension);
    }
    this.dimension = dimension;
    this.generator = new SobolSequenceGenerator(dimension);
    this.shift = new long[dimension];
    Random rng = new Random(Seeds.mix(seed ^ 0x5DEECE66DL));
    for (int i = 0; i < dimension; i++) {
      shift[i] = rng.nextLong() & ((1L << BITS) - 1);
    }
  }

  public int dimension() {
    return dimension;
  }

  /** Point {@code index} (from 0) of the scrambled sequence, every coordinate in {@code [0, 1)}. */
  public synchronized double[] point(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("a Sobol index must be >= 0, but got " + index);
    }
    double[] raw = generator.skipTo(index);
    double[] out = new double[dimension];
    for (int i = 0; i < dimension; i++) {
      long bits = (long) (raw[i] * SCALE);
      // The half-ulp offset keeps points strictly inside the cube, away from exact edges.
      out[i] = ((bits ^ shift[i]) + 0.5) / SCALE;
    }
    return out;
  }
}
