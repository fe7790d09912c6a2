package io.tunelake.study;

/**
 * Where a trial of a population-based study stands in its population: the member it trains
 * ({@code id}, 0-based), the generation (0-based step of training) and the trial whose
 * weights it started from ({@code parentTrialId}: the member's own previous step, or the
 * member it copied after an exploit; null in generation 0, which starts from scratch).
 */
public record Member(int id, int generation, Integer parentTrialId) {
  public Member {
    if (id < 0 || generation < 0) {
      throw new IllegalArgumentException("member id and generation must be >= 0, but got member " + id
          + ", generation " + generation);
    }
    if (generation == 0 && parentTrialId != null) {
      throw new IllegalArgumentException("generation 0 starts from scratch, but got parent trial " + parentTrialId);
    }
  }
}
