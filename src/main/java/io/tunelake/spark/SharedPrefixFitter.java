package io.tunelake.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gradient-boosted trees that differ only in {@code maxIter} share one fit per fold. MLlib grows
 * tree m of a boosting run from the residuals of trees 0..m-1, with the bins found once with
 * the seed and tree m bagged and split with {@code seed + m}; nothing else depends on
 * {@code maxIter}. So a run of {@code maxIter = k} is exactly the first k trees and weights of a
 * longer run at the same other params (pinned to MLlib's own fit by {@code SharedPrefixFitterTest}).
 *
 * <p>The trials of a round are grouped by everything but {@code maxIter} (and the training rows
 * they see). Each group runs one unit per fold, queued fold by fold: it fits the largest
 * {@code maxIter} among the group's trials still running and scores every trial on a model of
 * its own first trees, recorded as its own trial. The trials are raced as any others; a trial
 * pruned after a fold leaves its group, so a later fold fits only as many trees as the longest
 * remaining trial needs. A trial alone in its group is fitted and cancelled as
 * {@link SingleFitter} does it; trials of other model families go to {@code others}.
 */
final class SharedPrefixFitter implements Fitter {
  private static final Logger LOG = LoggerFactory.getLogger(SharedPrefixFitter.class);

  private final FitContext ctx;
  private final Fitter others;

  SharedPrefixFitter(FitContext ctx, Fitter others) {
    this.ctx = ctx;
    this.others = others;
  }

  @Override
  public void schedule(List<TrialRun> trials, Round round) {
    Map<String, List<TrialRun>> groups = new LinkedHashMap<>();
    List<TrialRun> rest = new ArrayList<>();
    for (TrialRun run : trials) {
      Estimator<?> est = ctx.estimator(run.suggestion, ctx.folds.get(0));
      if (!FittedModels.boostsByPrefix(est)) {
        rest.add(run);
        continue;
      }
      String rows = ctx.sampled(run.suggestion) ? "rows " + run.suggestion.budget() : "all rows";
      groups.computeIfAbsent(FittedModels.allButIterations(est) + " on " + rows, k -> new ArrayList<>()).add(run);
    }
    groups.values().forEach(g -> g.forEach(round::race));
    for (FoldData fold : ctx.folds) {
      for (List<TrialRun> group : groups.values()) {
        String jobGroup = group.size() == 1 ? group.get(0).group() : ctx.jobGroup("trees-" + group.get(0).trialId());
        round.submit(jobGroup, () -> fit(group, fold, jobGroup, round));
      }
    }
    others.schedule(rest, round);
  }

  /** Fits the longest running trial of {@code group} on {@code fold} and scores every running trial on its prefix. */
  private void fit(List<TrialRun> group, FoldData fold, String jobGroup, Round round) {
    List<TrialRun> live = group.stream().filter(r -> !r.stopped()).toList();
    if (live.isEmpty()) {
      return;
    }
    Map<TrialRun, Estimator<?>> estimators = new LinkedHashMap<>();
    live.forEach(r -> estimators.put(r, ctx.estimator(r.suggestion, fold)));
    TrialRun longest = live.stream().max(Comparator.comparingInt(r -> FittedModels.iterations(estimators.get(r))))
        .orElseThrow();
    ctx.enterJobGroup(jobGroup, String.format("study '%s': trials %s, fold %d/%d, one boosting run of %d trees for all",
        ctx.study(), live.stream().map(r -> Integer.toString(r.trialId())).toList(), fold.index() + 1, fold.of(),
        FittedModels.iterations(estimators.get(longest))));
    live.forEach(r -> r.started(ctx.clock.instant()));
    try {
      long fitStart = System.nanoTime();
      Model<?> full = (Model<?>) estimators.get(longest).fit(ctx.train(longest.suggestion, fold));
      double runSeconds = (System.nanoTime() - fitStart) / 1e9;
      double runTrees = FittedModels.iterations(estimators.get(longest));
      List<TrialRun> runs = new ArrayList<>();
      List<Model<?>> models = new ArrayList<>();
      List<Double> fitSeconds = new ArrayList<>();
      for (TrialRun run : live) {
        if (run.stopped()) {
          continue;
        }
        try {
          models.add(FittedModels.firstTrees(full, estimators.get(run)));
          runs.add(run);
          // A trial of k trees is charged k/K of the shared run of K: about what its own fit takes.
          fitSeconds.add(runSeconds * FittedModels.iterations(estimators.get(run)) / runTrees);
        } catch (Throwable e) {
          round.threw(run, ctx.failure(fold, run, e), e);
        }
      }
      // Every prefix is scored in one pass over the validation rows.
      ctx.score(runs, models, fitSeconds, fold, round);
    } catch (Throwable e) {
      for (TrialRun run : live) {
        round.threw(run, ctx.failure(fold, run, e), e);
      }
    } finally {
      ctx.spark.sparkContext().clearJobGroup();
    }
  }

  @Override
  public void close() {
    others.close();
  }
}
