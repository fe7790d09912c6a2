package io.tunelake.optimize.sobol;

import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.Seen;
import io.tunelake.optimize.Startup;
import io.tunelake.space.SearchSpace;
import java.util.List;
import java.util.Map;

/**
 * Quasi-random search over a scrambled Sobol sequence: trial {@code k} of the study (counting
 * finished and pending trials) is Sobol point {@code k}, mapped through
 * {@link SearchSpace#fromUnit}; it is the model-based optimizers' {@link Startup} design run for
 * every slot. Evenly covering the cube, it beats independent random draws at small budgets
 * (Bergstra and Bengio 2012, section 6). Points whose assignment was already tried or handed out
 * (small discrete spaces) are replaced by later points of the sequence.
 */
record SobolSearch(SearchSpace space, long seed) implements Optimizer {

  @Override
  public String name() {
    return "sobol";
  }

  @Override
  public List<Proposal> ask(int n, List<Observation> history, List<Map<String, Object>> pending) {
    int first = history.size() + pending.size();
    return Startup.design(space, seed, first, n, Seen.of(history, pending)).stream()
        .map(p -> new Proposal(p, name())).toList();
  }
}
