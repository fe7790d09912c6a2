package io.tunelake.study;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.TrialStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The round loop of a study: read the history from the store, ask the optimizer for a batch,
 * have the objective evaluate it, commit the round, until the budget is spent. Everything it
 * needs to continue is in the store, so running it again after a crash (or after the study
 * finished) picks up exactly where the committed rounds end.
 */
public final class StudyRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StudyRunner.class);

  private final String study;
  private final String metric;
  private final Direction direction;
  private final Optimizer optimizer;
  private final int batchSize;
  private final Budget budget;
  private final Objective objective;
  private final TrialStore store;
  private final Clock clock;
  private final List<Observation> priors;

  private StudyRunner(Builder b) {
    this.study = Objects.requireNonNull(b.study, "study");
    this.metric = Objects.requireNonNull(b.metric, "metric");
    this.direction = Objects.requireNonNull(b.direction, "direction");
    this.optimizer = Objects.requireNonNull(b.optimizer, "optimizer");
    this.objective = Objects.requireNonNull(b.objective, "objective");
    this.store = Objects.requireNonNull(b.store, "store");
    this.budget = Objects.requireNonNull(b.budget, "budget");
    this.clock = b.clock;
    this.priors = List.copyOf(b.priors);
    if (b.batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, but got " + b.batchSize);
    }
    this.batchSize = b.batchSize;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Runs rounds until the budget is spent and returns every trial of the study. */
  public StudyOutcome run() {
    Instant start = clock.instant();
    List<Trial> trials = new ArrayList<>(store.history(study));
    int added = 0;
    if (!trials.isEmpty()) {
      LOG.info("study '{}' continues with {} finished trials", study, trials.size());
    }
    boolean exhausted = false;
    while (trials.size() < budget.maxTrials()) {
      if (budget.timeout() != null && Duration.between(start, clock.instant()).compareTo(budget.timeout()) >= 0) {
        LOG.info("study '{}' stops: time budget {} spent", study, budget.timeout());
        break;
      }
      int n = Math.min(batchSize, budget.maxTrials() - trials.size());
      List<Observation> history = new ArrayList<>(priors);
      trials.forEach(t -> history.add(t.toObservation()));
      List<Map<String, Object>> asked = optimizer.ask(n, history, List.of());
      if (asked.isEmpty()) {
        exhausted = true;
        LOG.info("study '{}' stops: the search space is exhausted after {} trials", study, trials.size());
        break;
      }
      int round = trials.stream().mapToInt(Trial::round).max().orElse(0) + 1;
      int nextId = trials.stream().mapToInt(Trial::trialId).max().orElse(0) + 1;
      List<Suggestion> batch = new ArrayList<>();
      for (Map<String, Object> params : asked) {
        batch.add(new Suggestion(nextId++, round, params));
      }
      List<Evaluation> evaluations = objective.evaluate(batch);
      List<Trial> finished = toTrials(batch, evaluations);
      store.commit(finished);
      for (Trial t : finished) {
        trials.add(t);
        logFinished(t, trials);
      }
      added += finished.size();
    }
    return new StudyOutcome(study, metric, direction, trials, added, exhausted,
        Duration.between(start, clock.instant()));
  }

  private List<Trial> toTrials(List<Suggestion> batch, List<Evaluation> evaluations) {
    Map<Integer, Evaluation> byId = new HashMap<>();
    evaluations.forEach(e -> byId.put(e.trialId(), e));
    List<Trial> out = new ArrayList<>();
    for (Suggestion s : batch) {
      Evaluation e = byId.get(s.trialId());
      if (e == null) {
        throw new IllegalStateException("the objective returned no evaluation for trial " + s.trialId());
      }
      FoldStats stats = e.status() == TrialStatus.FAILED ? FoldStats.EMPTY : FoldStats.of(e.foldMetrics());
      long ms = Duration.between(e.startedAt(), e.finishedAt()).toMillis();
      out.add(new Trial(study, s.trialId(), s.round(), e.status(), s.params(), metric, e.foldMetrics(), stats,
          e.budget(), ms, e.startedAt(), e.finishedAt(), e.error()));
    }
    return out;
  }

  private void logFinished(Trial t, List<Trial> all) {
    Optional<Trial> best = StudyOutcome.best(all, direction);
    String bestText = best.map(b -> String.format("best is trial %d with %.4f", b.trialId(), b.value())).orElse("no complete trial yet");
    if (t.status() == TrialStatus.FAILED) {
      LOG.info("trial {} failed: {} {}; {}", t.trialId(), t.error(), t.params(), bestText);
    } else {
      LOG.info("trial {} {}: {}={} {}; {}", t.trialId(), t.status() == TrialStatus.COMPLETE ? "finished" : "pruned",
          metric, Format.score(t.stats()), t.params(), bestText);
    }
  }

  /** Builds a {@link StudyRunner}; every setter but {@code clock} and {@code priors} is required. */
  public static final class Builder {
    private String study;
    private String metric;
    private Direction direction;
    private Optimizer optimizer;
    private int batchSize = 1;
    private Budget budget;
    private Objective objective;
    private TrialStore store;
    private Clock clock = Clock.systemUTC();
    private List<Observation> priors = List.of();

    public Builder study(String v) { study = v; return this; }
    public Builder metric(String name, Direction dir) { metric = name; direction = dir; return this; }
    public Builder optimizer(Optimizer v) { optimizer = v; return this; }
    public Builder batchSize(int v) { batchSize = v; return this; }
    public Builder budget(Budget v) { budget = v; return this; }
    public Builder objective(Objective v) { objective = v; return this; }
    public Builder store(TrialStore v) { store = v; return this; }
    public Builder clock(Clock v) { clock = v; return this; }
    /** Finished trials of earlier studies that the optimizer learns from (warm start). */
    public Builder priors(List<Observation> v) { priors = v; return this; }

    public StudyRunner build() {
      return new StudyRunner(this);
    }
  }
}
