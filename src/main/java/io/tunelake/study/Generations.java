package io.tunelake.study;

import io.tunelake.optimize.TrialStatus;
import io.tunelake.optimize.pbt.Population;
import java.util.ArrayList;
import java.util.List;

/**
 * The rounds of a population-based study: round after round, one generation of the population.
 * The last committed generation is read back from the trials (their {@link Member}), so a study
 * resumed after a kill trains the generation after the last one committed, from the weights of
 * its trials.
 */
final class Generations {
  private final Population population;

  Generations(Population population) {
    this.population = population;
  }

  /** The next generation's suggestions, numbered after {@code trials}. */
  List<Suggestion> next(List<Trial> trials) {
    int last = trials.stream().filter(t -> t.member() != null).mapToInt(t -> t.member().generation()).max()
        .orElse(-1);
    List<Population.Next> next;
    if (last < 0) {
      next = population.first();
    } else {
      List<Population.Step> steps = new ArrayList<>();
      for (Trial t : trials) {
        if (t.member() != null && t.member().generation() == last) {
          double value = t.status() == TrialStatus.COMPLETE ? t.value() : Double.NaN;
          steps.add(new Population.Step(t.member().id(), t.trialId(), t.params(), value));
        }
      }
      next = population.next(steps, last + 1);
    }
    int round = StudyRunner.nextRound(trials);
    int id = StudyRunner.nextTrialId(trials);
    List<Suggestion> out = new ArrayList<>();
    for (Population.Next n : next) {
      out.add(new Suggestion(id++, round, n.params(), 1.0, n.proposer(),
          new Member(n.member(), last + 1, n.parentTrialId())));
    }
    return out;
  }
}
