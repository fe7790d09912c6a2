package io.tunelake.study;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.optimize.pbt.Population;
import io.tunelake.optimize.schedule.FullBudget;
import io.tunelake.optimize.schedule.Scheduler;
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
 *
 * <p>A study ends at full budget: when it would end (trial budget, time, target, patience, an
 * exhausted space) with its best trial below full budget, as a multi-fidelity schedule with a
 * modest budget leaves it, that configuration runs once more at full budget, one trial past the
 * trial budget. Only full-budget trials can be the study's best ({@link StudyOutcome#best()}).
 */
public final class StudyRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StudyRunner.class);
  /** The proposer of the best configuration run again at full budget before a study ends below it. */
  public static final String INCUMBENT = "incumbent";

  private final String study;
  private final String metric;
  private final Direction direction;
  private final Optimizer optimizer;
  private final Scheduler scheduler;
  private final int batchSize;
  private final Budget budget;
  private final Objective objective;
  private final TrialStore store;
  private final Clock clock;
  private final List<Observation> priors;
  private final StopSignal stop;
  /** Population-based training's generations, which replace the optimizer's batches; null for other algorithms. */
  private final Generations population;
  private final ParetoGoals goals;

  private StudyRunner(Builder b) {
    this.study = Objects.requireNonNull(b.study, "study");
    this.metric = Objects.requireNonNull(b.metric, "metric");
    this.direction = Objects.requireNonNull(b.direction, "direction");
    this.optimizer = Objects.requireNonNull(b.optimizer, "optimizer");
    this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    this.objective = Objects.requireNonNull(b.objective, "objective");
    this.store = Objects.requireNonNull(b.store, "store");
    this.budget = Objects.requireNonNull(b.budget, "budget");
    this.clock = b.clock;
    this.priors = List.copyOf(b.priors);
    this.stop = b.stop;
    this.population = b.population;
    this.goals = b.goals != null ? b.goals : ParetoGoals.single(metric, direction);
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
    try {
      return loop();
    } finally {
      stop.markIdle();
    }
  }

  private StudyOutcome loop() {
    Instant start = clock.instant();
    List<Trial> trials = new ArrayList<>(store.history(study));
    int added = 0;
    if (!trials.isEmpty()) {
      LOG.info("study '{}' continues with {} finished trials", study, trials.size());
    }
    StopReason reason;
    while (true) {
      reason = stopReason(trials, start);
      if (reason != null) {
        break;
      }
      List<Suggestion> batch = population != null ? population.next(trials) : proposed(trials);
      if (batch.isEmpty()) {
        reason = StopReason.EXHAUSTED;
        break;
      }
      int round = batch.get(0).round();
      if (!runRound(batch, trials)) {
        reason = StopReason.STOPPED;
        break;
      }
      added += batch.size();
      logRound(round, trials, added, start);
    }
    if (reason != StopReason.STOPPED) {
      Suggestion check = fullBudgetCheck(trials);
      if (check != null) {
        if (runRound(List.of(check), trials)) {
          added++;
        } else {
          reason = StopReason.STOPPED;
        }
      }
    }
    if (reason != StopReason.TRIALS) {
      LOG.info("study '{}' stops after {} trials: {}", study, trials.size(), describe(reason));
    }
    return new StudyOutcome(study, metric, direction, trials, added, reason, Duration.between(start, clock.instant()),
        goals);
  }

  /** The optimizer's next batch (through the scheduler), numbered after {@code trials}. */
  private List<Suggestion> proposed(List<Trial> trials) {
    int n = Math.min(batchSize, budget.maxTrials() - trials.size());
    List<Observation> own = new ArrayList<>();
    trials.forEach(t -> own.add(goals.observe(t)));
    List<Proposal> asked = scheduler.next(n, own, priors, optimizer);
    int round = nextRound(trials);
    int nextId = nextTrialId(trials);
    List<Suggestion> batch = new ArrayList<>();
    for (Proposal p : asked) {
      batch.add(new Suggestion(nextId++, round, p.params(), p.budget(), p.proposer()));
    }
    return batch;
  }

  /**
   * Evaluates {@code batch}, commits it and adds its trials to {@code trials}; false when the
   * round was abandoned on shutdown (nothing committed). What the objective throws (it could
   * evaluate nothing of the batch) propagates, with nothing of the round committed.
   */
  private boolean runRound(List<Suggestion> batch, List<Trial> trials) {
    List<Evaluation> evaluations;
    try {
      evaluations = objective.evaluate(batch, List.copyOf(trials));
    } catch (RuntimeException | Error e) {
      if (!stop.isAbandoned()) {
        // The objective could evaluate nothing of the batch: nothing is committed, and the next
        // run proposes the same batch under the same trial ids.
        throw e;
      }
      evaluations = null;
    }
    if (stop.isAbandoned()) {
      LOG.warn("round {} abandoned on shutdown; its {} trials will be proposed again by the next run",
          batch.get(0).round(), batch.size());
      return false;
    }
    List<Trial> finished = toTrials(batch, evaluations);
    store.commit(finished);
    for (Trial t : finished) {
      trials.add(t);
      logFinished(t, trials);
    }
    return true;
  }

  /**
   * The incumbent evaluated at full budget, when the study would otherwise end with its best
   * trial below it (a multi-fidelity schedule with a modest budget): low-budget scores are not
   * the model that the refit trains. Null when the incumbent is at full budget, or when its
   * configuration already ran at full budget and did not complete (it is not retried).
   */
  private Suggestion fullBudgetCheck(List<Trial> trials) {
    Optional<Trial> incumbent = StudyOutcome.best(trials, direction);
    if (incumbent.isEmpty() || incumbent.get().budget() >= 1) {
      return null;
    }
    Trial best = incumbent.get();
    if (trials.stream().anyMatch(t -> t.budget() >= 1 && t.params().equals(best.params()))) {
      return null;
    }
    int id = nextTrialId(trials);
    LOG.info("no trial reached full budget; the best, trial {} at budget {}, runs again at full budget as trial {}",
        best.trialId(), Format.number(best.budget()), id);
    return new Suggestion(id, nextRound(trials), best.params(), 1.0, INCUMBENT);
  }

  static int nextRound(List<Trial> trials) {
    return trials.stream().mapToInt(Trial::round).max().orElse(0) + 1;
  }

  static int nextTrialId(List<Trial> trials) {
    return trials.stream().mapToInt(Trial::trialId).max().orElse(0) + 1;
  }

  /** Why the loop must not start another round, or null if it may. */
  private StopReason stopReason(List<Trial> trials, Instant start) {
    if (trials.size() >= budget.maxTrials()) {
      return StopReason.TRIALS;
    }
    if (stop.isRequested()) {
      return StopReason.STOPPED;
    }
    if (budget.timeout() != null && Duration.between(start, clock.instant()).compareTo(budget.timeout()) >= 0) {
      return StopReason.TIMEOUT;
    }
    Optional<Trial> best = StudyOutcome.best(trials, direction);
    if (budget.target() != null && best.isPresent()
        && !direction.isBetter(budget.target(), best.get().value())) {
      return StopReason.TARGET;
    }
    if (budget.patience() > 0 && best.isPresent()) {
      int sinceBest = trials.get(trials.size() - 1).trialId() - best.get().trialId();
      if (sinceBest >= budget.patience()) {
        return StopReason.PATIENCE;
      }
    }
    return null;
  }

  private String describe(StopReason reason) {
    switch (reason) {
      case TIMEOUT:
        return "time budget " + budget.timeout() + " spent";
      case TARGET:
        return metric + " reached the target " + Format.number(budget.target());
      case PATIENCE:
        return "no improvement in the last " + budget.patience() + " trials";
      case EXHAUSTED:
        return "the search space is exhausted";
      case STOPPED:
        return "stop requested; every committed round is kept, re-run to continue";
      default:
        return "trial budget spent";
    }
  }

  private void logRound(int round, List<Trial> trials, int added, Instant start) {
    Duration elapsed = Duration.between(start, clock.instant());
    int remaining = budget.maxTrials() - trials.size();
    String eta = added == 0 || remaining <= 0 ? "0s" : Format.duration(elapsed.multipliedBy(remaining).dividedBy(added));
    String best = StudyOutcome.best(trials, direction)
        .map(b -> metric + " " + Format.score(b.stats()) + " (trial " + b.trialId() + ")").orElse("none yet");
    LOG.info("round {} done: {}/{} trials, best {}, elapsed {}, ETA {}", round, trials.size(), budget.maxTrials(), best,
        Format.duration(elapsed), eta);
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
      String warning = e.status() == TrialStatus.COMPLETE ? objective.warning(e) : null;
      out.add(new Trial(study, s.trialId(), s.round(), e.status(), s.params(), s.proposer(), metric, e.foldMetrics(),
          stats, s.budget(), ms, e.startedAt(), e.finishedAt(), e.error(), e.secondary(), e.stageFitsReused(),
          warning, s.member()));
    }
    return out;
  }

  private void logFinished(Trial t, List<Trial> all) {
    Optional<Trial> best = StudyOutcome.best(all, direction);
    String bestText = best.map(b -> "best is trial " + b.trialId() + " with " + Format.number(b.value()))
        .orElse("no complete trial yet");
    if (t.status() == TrialStatus.FAILED) {
      LOG.info("trial {} failed: {} {}; {}", t.trialId(), t.error(), t.params(), bestText);
    } else {
      LOG.info("trial {} {}: {}={} {}; {}", t.trialId(), t.status() == TrialStatus.COMPLETE ? "finished" : "pruned",
          metric, Format.score(t.stats()), t.params(), bestText);
    }
  }

  /** Builds a {@link StudyRunner}; every setter but {@code clock}, {@code priors}, {@code scheduler} and {@code stopSignal} is required. */
  public static final class Builder {
    private String study;
    private String metric;
    private Direction direction;
    private Optimizer optimizer;
    private Scheduler scheduler = new FullBudget();
    private int batchSize = 1;
    private Budget budget;
    private Objective objective;
    private TrialStore store;
    private Clock clock = Clock.systemUTC();
    private List<Observation> priors = List.of();
    private StopSignal stop = new StopSignal();
    private Generations population;
    private ParetoGoals goals;

    public Builder study(String v) { study = v; return this; }
    public Builder metric(String name, Direction dir) { metric = name; direction = dir; return this; }
    public Builder optimizer(Optimizer v) { optimizer = v; return this; }
    /** At which budgets trials run; every trial at full budget unless set. */
    public Builder scheduler(Scheduler v) { scheduler = v; return this; }
    public Builder batchSize(int v) { batchSize = v; return this; }
    public Builder budget(Budget v) { budget = v; return this; }
    public Builder objective(Objective v) { objective = v; return this; }
    public Builder store(TrialStore v) { store = v; return this; }
    public Builder clock(Clock v) { clock = v; return this; }
    /** Finished trials of earlier studies that the optimizer learns from (warm start). */
    public Builder priors(List<Observation> v) { priors = v; return this; }
    /** Lets another thread stop the loop between rounds. */
    public Builder stopSignal(StopSignal v) { stop = v; return this; }
    /**
     * Trains {@code v} by population-based training: each round is one generation of the
     * population, decided by {@link Population#next} instead of the optimizer.
     */
    public Builder population(Population v) { population = new Generations(v); return this; }
    /** Several objectives, constraints or a selection rule; the metric alone unless set. */
    public Builder goals(ParetoGoals v) { goals = v; return this; }

    public StudyRunner build() {
      return new StudyRunner(this);
    }
  }
}
