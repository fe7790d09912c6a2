package io.tunelake.optimize;

import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A batch being filled for one ask: what was tried or handed out (never proposed again), the
 * round's seeded generator, and the proposals so far, the startup design's first (see
 * {@link Startup#begin}).
 */
public final class Batch {
  private static final int MAX_REDRAWS = 64;
  private final SearchSpace space;
  private final int size;
  private final Seen seen;
  private final Random rng;
  private final String proposer;
  private final List<Proposal> proposals = new ArrayList<>();

  private Batch(SearchSpace space, int size, Seen seen, Random rng, String proposer) {
    this.space = space;
    this.size = size;
    this.seen = seen;
    this.rng = rng;
    this.proposer = proposer;
  }

  /**
   * An empty batch of {@code size} for the round that {@code history} and {@code pending}
   * identify, filled by {@code proposer} (the optimizer's or its model's name).
   */
  public static Batch empty(SearchSpace space, long seed, int size, List<Observation> history,
      List<Map<String, Object>> pending, String proposer) {
    return new Batch(space, size, Seen.of(history, pending), Seeds.forRound(seed, history.size(), pending.size()),
        proposer);
  }

  /** Whether every slot is filled. */
  public boolean isFull() {
    return proposals.size() >= size;
  }

  /** The round's generator: the same history and pending list give the same draws. */
  public Random rng() {
    return rng;
  }

  /** Everything tried, pending or already in this batch. */
  public Seen seen() {
    return seen;
  }

  /** The assignments proposed so far, in order. */
  public List<Map<String, Object>> assignments() {
    return Proposal.params(proposals);
  }

  /** Adds {@code params} as proposed by this batch's proposer. */
  public void add(Map<String, Object> params) {
    add(params, proposer);
  }

  /** Adds {@code params} as proposed by {@code proposer}. */
  void add(Map<String, Object> params, String proposer) {
    seen.add(params);
    proposals.add(new Proposal(params, proposer));
  }

  /**
   * Adds a uniform random draw, drawn again (a bounded number of times) while it was seen; for a
   * slot a model cannot fill. Returns it.
   */
  public Map<String, Object> addRandom() {
    Map<String, Object> p = space.sample(rng);
    for (int i = 0; i < MAX_REDRAWS && seen.contains(p); i++) {
      p = space.sample(rng);
    }
    add(p, "random");
    return p;
  }

  /**
   * Adds the first of up to {@code attempts} draws of {@code draw} not seen yet or, when each
   * was (a model that keeps returning tried points, as in a nearly exhausted discrete space), a
   * random one ({@link #addRandom()}). Returns what it added.
   */
  public Map<String, Object> addUnseen(Supplier<Map<String, Object>> draw, int attempts) {
    for (int i = 0; i < attempts; i++) {
      Map<String, Object> candidate = draw.get();
      if (!seen.contains(candidate)) {
        add(candidate);
        return candidate;
      }
    }
    return addRandom();
  }

  /** Fills the remaining slots with {@link #addRandom()} and returns the proposals. */
  public List<Proposal> fillRandomly() {
    while (!isFull()) {
      addRandom();
    }
    return proposals();
  }

  /** The proposals so far. */
  public List<Proposal> proposals() {
    return List.copyOf(proposals);
  }
}
