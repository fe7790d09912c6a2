package io.tunelake.spark;

import io.tunelake.study.Format;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MLlib fit per (trial, fold), each a unit of work on the fit threads, queued fold by fold
 * so every trial's first fold runs before any trial's second; the trials are raced.
 */
final class SingleFitter implements Fitter {
  private static final Logger LOG = LoggerFactory.getLogger(SingleFitter.class);

  private final FitContext ctx;

  SingleFitter(FitContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void schedule(List<TrialRun> trials, Round round) {
    trials.forEach(round::race);
    for (FoldData fold : ctx.folds) {
      for (TrialRun run : trials) {
        round.submit(run.group(), () -> fit(run, fold, round));
      }
    }
  }

  private void fit(TrialRun run, FoldData fold, Round round) {
    if (run.stopped()) {
      return;
    }
    int trialId = run.trialId();
    ctx.enterJobGroup(run.group(), String.format("study '%s': trial %d, fold %d/%d %s%s", ctx.study(), trialId,
        fold.index() + 1, fold.of(), run.suggestion.params(), run.suggestion.budget() < 1
            ? " at budget " + Format.number(run.suggestion.budget()) : ""));
    run.started(ctx.clock.instant());
    try {
      StageCache.Prepared rows = ctx.stages.prepare(fold, ctx.train(run.suggestion, fold),
          ctx.sampled(run.suggestion) ? "rows=" + run.suggestion.budget() : "all", run.suggestion.params());
      int width = ctx.stages.isEmpty() ? fold.featureCount()
          : SparkPipelines.featureCount(rows.train(), ctx.plan.pipeline().featuresCol());
      Estimator<?> est = ctx.estimator(run.suggestion, width > 0 ? width : fold.featureCount());
      long fitStart = System.nanoTime();
      Model<?> model = (Model<?>) est.fit(rows.train());
      double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
      if (run.stopped()) {
        return;
      }
      double score = ctx.validationScore(run, model, rows.validation());
      run.secondary(fold.index(), ctx.secondary(model, rows.validation(), fitSeconds),
          ctx.prefixFits + rows.reused());
      if (round.scored(run, fold.index(), score)) {
        LOG.debug("trial {} fold {}/{}: {}={}", trialId, fold.index() + 1, fold.of(), ctx.plan.metric(), score);
      }
    } catch (Throwable e) {
      round.threw(run, ctx.failure(fold, run, e), e);
    } finally {
      ctx.spark.sparkContext().clearJobGroup();
    }
  }
}
