package io.tunelake.optimize;

import java.util.Random;

/**
 * Derives the random generator of one ask() call from the study seed and the state of the
 * history, so that a re-run round draws exactly what the first run drew.
 */
public final class Seeds {
  private Seeds() {}

  /** A generator determined by {@code seed} and the counts that identify a round. */
  public static Random forRound(long seed, int finished, int pending) {
    return new Random(mix(mix(seed) ^ (31L * finished + pending)));
  }

  /** SplitMix64's finaliser: spreads nearby seeds far apart. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
