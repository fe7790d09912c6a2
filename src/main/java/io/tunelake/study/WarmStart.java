package io.tunelake.study;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * Of the trials of {@code study}, {@code used} fit this study and {@code dropped} did not;
   * {@code similarity} is how close its data are to this study's, in (0, 1], for a study chosen
   * by {@code search.warm_start: auto} (NaN for a study named in the spec).
   */
  public record Source(String study, int used, int dropped, double similarity) {
    public Source(String study, int used, int dropped) {
      this(study, used, dropped, Double.NaN);
    }
  }

  /** An earlier study of the store, as {@code search.warm_start: auto} weighs it. */
  public record Candidate(String study, String estimator, String metric, DataProfile profile) {}

  /** How many studies {@code search.warm_start: auto} takes at most, the most similar first. */
  static final int AUTO_STUDIES = 3;

  /**
   * {@code search.warm_start: auto}: of the {@code candidates}, the studies with the same
   * estimator and metric whose trials fit {@code space}, the {@link #AUTO_STUDIES} whose data
   * are most similar to {@code profile} ({@link #similarity}). Their trials are weighted by
   * similarity: the most similar study gives every compatible trial, another the best share
   * {@code similarity / best similarity} of them (at least one), so the optimizer's history
   * leans toward the closest data.
   */
  public static WarmStart auto(TrialStore store, String study, String estimator, String metric, Direction direction,
      DataProfile profile, SearchSpace space, List<Candidate> candidates) {
    List<Candidate> ranked = new ArrayList<>();
    Map<String, Double> similarity = new HashMap<>();
    for (Candidate c : candidates) {
      double sim = c.profile() == null || profile == null ? Double.NaN : similarity(profile, c.profile());
      if (!c.study().equals(study) && c.estimator().equals(estimator) && c.metric().equals(metric)
          && !Double.isNaN(sim)) {
        ranked.add(c);
        similarity.put(c.study(), sim);
      }
    }
    ranked.sort(Comparator.comparingDouble((Candidate c) -> -similarity.get(c.study())).thenComparing(Candidate::study));
    List<Observation> priors = new ArrayList<>();
    List<Source> sources = new ArrayList<>();
    double top = Double.NaN;
    for (Candidate c : ranked) {
      if (sources.size() == AUTO_STUDIES) {
        break;
      }
      List<Trial> trials = store.history(c.study());
      List<Observation> fit = compatible(trials, metric, space);
      if (fit.isEmpty()) {
        continue;
      }
      double sim = similarity.get(c.study());
      top = Double.isNaN(top) ? sim : top;
      int take = Math.max(1, (int) Math.ceil(fit.size() * sim / top));
      List<Observation> best = fit.stream().sorted(Comparator.comparing((Observation o) -> !o.hasValue())
          .thenComparingDouble(o -> o.hasValue() ? direction.toLoss(o.value()) : 0)).limit(take).toList();
      priors.addAll(best);
      sources.add(new Source(c.study(), best.size(), trials.size() - best.size(), sim));
      LOG.info("warm start auto: study '{}' (similarity {}) gives {} of its {} trials", c.study(),
          Format.number(sim), best.size(), trials.size());
    }
    if (sources.isEmpty()) {
      LOG.info("warm start auto: no earlier study in the store with estimator {} and metric {} fits this study", estimator,
          metric);
    }
    return new WarmStart(priors, sources);
  }

  /**
   * How similar two data sets are, in (0, 1]: {@code 1 / (1 + d)}, with {@code d} the Euclidean
   * distance over log10 rows, log10 columns, the share of string columns and the label's
   * balance (classification) or twice its spread (regression, so both lie in [0, 1]). NaN when
   * one is classification and the other regression.
   */
  public static double similarity(DataProfile a, DataProfile b) {
    double label;
    if (a.classBalance() != null && b.classBalance() != null) {
      label = a.classBalance() - b.classBalance();
    } else if (a.labelSpread() != null && b.labelSpread() != null) {
      label = 2 * (a.labelSpread() - b.labelSpread());
    } else {
      return Double.NaN;
    }
    double rows = Math.log10(a.rows() + 1.0) - Math.log10(b.rows() + 1.0);
    double columns = Math.log10(a.columns() + 1.0) - Math.log10(b.columns() + 1.0);
    double strings = a.stringShare() - b.stringShare();
    return 1 / (1 + Math.sqrt(rows * rows + columns * columns + strings * strings + label * label));
  }

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
