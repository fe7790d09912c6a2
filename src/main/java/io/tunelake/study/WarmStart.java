package io.tunelake.study;

import io.tunelake.optimize.Observation;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trials of earlier studies a study starts from, as observations for its optimizer, and
 * how many each source study gave. Only trials scored on the same metric whose assignment is
 * valid in the study's space are taken; the others are dropped and counted.
 */
public record WarmStart(List<Observation> priors, List<Source> sources) {
  private static final Logger LOG = LoggerFactory.getLogger(WarmStart.class);

  /** Nothing taken from other studies. */
  public static final WarmStart NONE = new WarmStart(List.of(), List.of());

  public WarmStart {
    priors = List.copyOf(priors);
    sources = List.copyOf(sources);
  }

  /** Of the trials of {@code study}, {@code used} fit this study and {@code dropped} did not. */
  public record Source(String study, int used, int dropped) {}

  /**
   * The trials of {@code others} in {@code store} that fit {@code study}'s space and metric;
   * {@code where} names the store in log lines.
   */
  public static WarmStart from(TrialStore store, String where, String study, List<String> others, String metric,
      SearchSpace space) {
    List<Observation> priors = new ArrayList<>();
    List<Source> sources = new ArrayList<>();
    for (String other : others) {
      if (other.equals(study)) {
        continue;
      }
      List<Trial> trials = store.history(other);
      List<Observation> fit = compatible(trials, metric, space);
      priors.addAll(fit);
      int kept = fit.size();
      sources.add(new Source(other, kept, trials.size() - kept));
      if (trials.isEmpty()) {
        LOG.warn("warm start: study '{}' has no trials in {}; nothing taken from it", other, where);
      } else {
        LOG.info("warm start: {} of {} trials of study '{}' fit this study's space and metric; {} dropped", kept,
            trials.size(), other, trials.size() - kept);
      }
    }
    return new WarmStart(priors, sources);
  }

  /** The trials scored on {@code metric} whose assignment is valid in {@code space}, as observations. */
  public static List<Observation> compatible(List<Trial> trials, String metric, SearchSpace space) {
    List<Observation> out = new ArrayList<>();
    for (Trial t : trials) {
      if (t.metric().equals(metric) && space.contains(t.params())) {
        out.add(t.toObservation());
      }
    }
    return out;
  }
}
