package io.tunelake.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.LogisticRegression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A round's logistic regressions fitted in lockstep ({@link FusedLogistic}): the trials are dealt
 * into one group per fit thread, and each group fits all folds of its trials together, one
 * Spark job per optimizer step for the whole group, in the job group
 * {@code tunelake-<study>-fused-<first trial id>-<run>}. Their folds finish together, so they
 * are not raced. Trials it cannot fuse (a reduced {@code rows} budget) go to {@code others}.
 */
final class FusedLogisticFitter implements Fitter {
  private static final Logger LOG = LoggerFactory.getLogger(FusedLogisticFitter.class);

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

  /** Fits every fold of the trials of {@code group} together, then scores each model on its validation fold. */
  private void fit(List<TrialRun> group, String jobGroup, Round round) {
    List<FoldData> folds = ctx.folds;
    ctx.enterJobGroup(jobGroup, String.format("study '%s': trials %s, %d folds each, fused logistic regression",
        ctx.study(), group.stream().map(r -> Integer.toString(r.trialId())).toList(), folds.size()));
    try {
      List<FusedLogistic.Fit> fits = new ArrayList<>();
      for (TrialRun run : group) {
        run.started(ctx.clock.instant());
        for (FoldData fold : folds) {
          fits.add(new FusedLogistic.Fit((LogisticRegression) ctx.estimator(run.suggestion, fold), fold.index()));
        }
      }
      List<FusedLogistic.Fitted> fitted = fused.fit(fits);
      for (int i = 0; i < fits.size(); i++) {
        TrialRun run = group.get(i / folds.size());
        FoldData fold = folds.get(fits.get(i).fold());
        if (run.stopped()) {
          continue;
        }
        try {
          if (fitted.get(i).error() != null) {
            throw new IllegalStateException(fitted.get(i).error());
          }
          double score = ctx.validationScore(fitted.get(i).model(), fold);
          run.secondary(fold.index(), ctx.secondary(fitted.get(i).model(), fold.validation(), Double.NaN),
              ctx.prefixFits);
          round.scored(run, fold.index(), score);
          LOG.debug("trial {} fold {}/{}: {}={}", run.trialId(), fold.index() + 1, fold.of(), ctx.plan.metric(), score);
        } catch (RuntimeException e) {
          round.failed(run, ctx.failure(fold, run, e));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      group.forEach(r -> round.failed(r, "interrupted"));
    } finally {
      ctx.spark.sparkContext().clearJobGroup();
    }
  }

  @Override
  public void close() {
    fused.close();
    others.close();
  }
}
