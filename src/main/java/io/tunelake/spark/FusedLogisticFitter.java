package io.tunelake.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;

/**
 * A round's logistic regressions fitted in lockstep ({@link FusedLogistic}): the trials are dealt
 * into one group per fit thread, and each group fits all folds of its trials together, one
 * Spark job per optimizer step for the whole group, in the job group
 * {@code tunelake-<study>-fused-<first trial id>-<run>}. Without pruning a group fits all folds
 * of its trials at once; with pruning it goes fold by fold and the trials are raced like any
 * others: a pruned trial leaves its group's lockstep and its later folds are never fitted.
 * Trials it cannot fuse (a reduced {@code rows} budget) go to {@code others}.
 */
final class FusedLogisticFitter implements Fitter {
  private final FitContext ctx;
  private final FusedLogistic fused;
  private final Fitter others;
  private final int groupsPerRound;

  FusedLogisticFitter(FitContext ctx, FusedLogistic fused, Fitter others, int groupsPerRound) {
    this.ctx = ctx;
    this.fused = fused;
    this.others = others;
    this.groupsPerRound = groupsPerRound;
  }

  @Override
  public void schedule(List<TrialRun> trials, Round round) {
    List<TrialRun> fusing = new ArrayList<>();
    List<TrialRun> rest = new ArrayList<>();
    for (TrialRun run : trials) {
      (fuses(run) ? fusing : rest).add(run);
    }
    fusing.forEach(round::race);
    for (List<TrialRun> group : dealIntoGroups(fusing)) {
      String name = ctx.jobGroup("fused-" + group.get(0).trialId());
      round.submit(name, () -> fit(group, name, round));
    }
    others.schedule(rest, round);
  }

  /** Whether {@code run} is fitted here: a logistic regression on the whole of each fold. */
  private boolean fuses(TrialRun run) {
    return !ctx.sampled(run.suggestion)
        && FusedLogistic.fuses(ctx.estimator(run.suggestion, ctx.folds.get(0)), ctx.plan.numClasses());
  }

  /**
   * The fused trials dealt round-robin into lockstep groups: as many as configured, more when
   * one group's gradient sums would pass {@link FusedLogistic#MAX_COEFFICIENTS_PER_PASS}.
   */
  private List<List<TrialRun>> dealIntoGroups(List<TrialRun> runs) {
    if (runs.isEmpty()) {
      return List.of();
    }
    long perTrial = 0;
    for (FoldData f : ctx.folds) {
      perTrial += fused.dimension(f.index()) + 3L;
    }
    int trialsPerPass = (int) Math.max(1, FusedLogistic.MAX_COEFFICIENTS_PER_PASS / perTrial);
    int count = Math.max(Math.min(groupsPerRound, runs.size()), (runs.size() + trialsPerPass - 1) / trialsPerPass);
    List<List<TrialRun>> groups = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      if (i < count) {
        groups.add(new ArrayList<>());
      }
      groups.get(i % count).add(runs.get(i));
    }
    return groups;
  }

  /**
   * The folds a group fits together, phase after phase: all at once when the trials are not
   * raced; otherwise fold by fold, so the race can drop a trial before its later folds, except
   * that the opening phase holds two folds while no trial at the group's budgets has two folds
   * scored (a first fold alone decides nothing, and a phase more is a lockstep's passes more).
   */
  private List<List<Integer>> phases(List<TrialRun> group, Round round) {
    int k = ctx.folds.size();
    List<List<Integer>> out = new ArrayList<>();
    if (!round.racing()) {
      out.add(IntStream.range(0, k).boxed().toList());
      return out;
    }
    boolean decides = group.stream().allMatch(r -> round.decidesAfterOneFold(r.suggestion.budget()));
    int opening = decides ? 1 : Math.min(2, k);
    out.add(IntStream.range(0, opening).boxed().toList());
    for (int f = opening; f < k; f++) {
      out.add(List.of(f));
    }
    return out;
  }

  /**
   * Fits the trials of {@code group} together phase by phase ({@link #phases}), scoring each
   * model on its validation fold as its phase ends; a trial pruned meanwhile leaves the lockstep
   * at once and its later folds are never fitted.
   */
  private void fit(List<TrialRun> group, String jobGroup, Round round) {
    int k = ctx.folds.size();
    group.forEach(r -> r.started(ctx.clock.instant()));
    FoldData current = ctx.folds.get(0);
    try {
      for (List<Integer> phase : phases(group, round)) {
        current = ctx.folds.get(phase.get(0));
        List<TrialRun> live = group.stream().filter(r -> !r.stopped()).toList();
        if (live.isEmpty()) {
          return;
        }
        ctx.enterJobGroup(jobGroup, String.format("study '%s': fused logistic regression of trials %s, fold %s of %d",
            ctx.study(), live.stream().map(r -> Integer.toString(r.trialId())).toList(),
            phase.stream().map(f -> Integer.toString(f + 1)).collect(Collectors.joining(", ")), k));
        // Fold-major, so the race compares the trials on the same folds as their scores arrive.
        List<FusedLogistic.Fit> fits = new ArrayList<>();
        for (int f : phase) {
          for (TrialRun run : live) {
            fits.add(new FusedLogistic.Fit((LogisticRegression) ctx.estimator(run.suggestion, ctx.folds.get(f)), f));
          }
        }
        long passStart = System.nanoTime();
        List<FusedLogistic.Fitted> fitted = fused.fit(fits, i -> live.get(i % live.size()).stopped());
        // Every pass computes all the models' losses in one job, so no model's own time is
        // separable: each (trial, fold) model is charged an equal share of the phase's wall time.
        double fitSeconds = (System.nanoTime() - passStart) / 1e9 / fits.size();
        for (int p = 0; p < phase.size(); p++) {
          score(live, fitted.subList(p * live.size(), (p + 1) * live.size()), fitSeconds,
              ctx.folds.get(phase.get(p)), round);
        }
      }
    } catch (Throwable e) {
      for (TrialRun run : group) {
        round.threw(run, ctx.failure(current, run, e), e);
      }
    } finally {
      ctx.spark.sparkContext().clearJobGroup();
    }
  }

  /**
   * Scores the models {@code fitted} for {@code live} (in that order) on the fold's validation
   * rows, all in one job; a trial stopped meanwhile is skipped, a failed fit fails its trial.
   */
  private void score(List<TrialRun> live, List<FusedLogistic.Fitted> fitted, double fitSeconds, FoldData fold,
      Round round) {
    List<TrialRun> runs = new ArrayList<>();
    List<LogisticRegressionModel> models = new ArrayList<>();
    for (int i = 0; i < live.size(); i++) {
      TrialRun run = live.get(i);
      if (run.stopped()) {
        continue;
      }
      if (fitted.get(i).error() != null) {
        IllegalStateException e = new IllegalStateException(fitted.get(i).error());
        round.threw(run, ctx.failure(fold, run, e), e);
        continue;
      }
      runs.add(run);
      models.add(fitted.get(i).model());
    }
    ctx.score(runs, models, Collections.nCopies(runs.size(), fitSeconds), fold, round);
  }

  @Override
  public void close() {
    fused.close();
    others.close();
  }
}
