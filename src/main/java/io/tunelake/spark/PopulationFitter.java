package io.tunelake.spark;

import io.tunelake.optimize.pbt.Population;
import io.tunelake.spec.JobSpec;
import io.tunelake.study.Format;
import io.tunelake.study.Member;
import io.tunelake.study.Trial;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fits of population-based training ({@code search.algorithm: pbt}): each (trial, fold)
 * trains a multilayer perceptron for one step of {@code step_iterations} iterations, starting
 * from the weights its parent trial left on the same fold ({@code initialWeights}; from scratch
 * in generation 0), and leaves its own weights for the next generation ({@link SparkWeights}).
 * MLlib's perceptron is the estimator that can continue training from a previous state through
 * a public param; its L-BFGS (or gradient descent) restarts from those weights each step.
 */
final class PopulationFitter implements Fitter {
  private static final Logger LOG = LoggerFactory.getLogger(PopulationFitter.class);

  private final FitContext ctx;
  private final SparkWeights weights;
  private final int stepIterations;

  PopulationFitter(FitContext ctx, SparkWeights weights, int stepIterations) {
    this.ctx = ctx;
    this.weights = weights;
    this.stepIterations = stepIterations;
  }

  /**
   * How a population-based study refits its best trial on all training rows: the perceptron
   * continues from the weights the best trial left on its first fold for one more step. When
   * those weights do not fit the refit's layers (a one-hot encoding that met categories no fold
   * had) it trains from scratch for as many iterations as the best trial's lineage had.
   */
  static UnaryOperator<Estimator<?>> refitting(SparkSession spark, JobSpec spec, Trial best) {
    int step = Population.Settings.of(spec.search().options()).stepIterations();
    int total = (best.member().generation() + 1) * step;
    Vector w;
    try {
      w = new SparkWeights(spark, spec.store().path(), spec.study()).read(best.trialId(), 0);
    } catch (UncheckedIOException e) {
      LOG.warn("refit of study '{}' trains from scratch: {}", spec.study(), e.getMessage());
      w = null;
    }
    Vector weights = w;
    return est -> {
      MultilayerPerceptronClassifier mlp = ((MultilayerPerceptronClassifier) est).copy(new ParamMap());
      int[] layers = mlp.getLayers();
      long size = 0;
      for (int i = 0; i + 1 < layers.length; i++) {
        size += (long) (layers[i] + 1) * layers[i + 1];
      }
      if (weights != null && weights.size() == size) {
        return mlp.setMaxIter(step).setInitialWeights(weights);
      }
      if (weights != null) {
        LOG.warn("refit of study '{}' trains from scratch for {} iterations: trial {}'s {} weights do not fit layers {}",
            spec.study(), total, best.trialId(), weights.size(), java.util.Arrays.toString(layers));
      }
      return mlp.setMaxIter(total);
    };
  }

  @Override
  public void schedule(List<TrialRun> trials, Round round) {
    for (FoldData fold : ctx.folds) {
      for (TrialRun run : trials) {
        round.submit(run.group(), () -> fit(run, fold, round));
      }
    }
  }

  private void fit(TrialRun run, FoldData fold, Round round) {
    Member member = run.suggestion.member();
    ctx.enterJobGroup(run.group(), String.format("study '%s': trial %d (member %d, generation %d), fold %d/%d %s",
        ctx.study(), run.trialId(), member.id(), member.generation(), fold.index() + 1, fold.of(),
        run.suggestion.params()));
    run.started(ctx.clock.instant());
    try {
      MultilayerPerceptronClassifier mlp = (MultilayerPerceptronClassifier) ctx.estimator(run.suggestion, fold);
      mlp = mlp.copy(new ParamMap()).setMaxIter(stepIterations);
      if (member.parentTrialId() != null) {
        mlp.setInitialWeights(weights.read(member.parentTrialId(), fold.index()));
      }
      long fitStart = System.nanoTime();
      MultilayerPerceptronClassificationModel model = mlp.fit(fold.train());
      double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
      weights.write(run.trialId(), fold.index(), model.weights());
      double score = ctx.validationScore(run, model, fold.validation());
      run.secondary(fold.index(), ctx.secondary(model, fold.validation(), fitSeconds), ctx.prefixFits);
      if (round.scored(run, fold.index(), score)) {
        LOG.debug("trial {} fold {}/{}: {}={} after {} iterations", run.trialId(), fold.index() + 1, fold.of(),
            ctx.plan.metric(), Format.number(score), (member.generation() + 1) * stepIterations);
      }
    } catch (Throwable e) {
      round.threw(run, ctx.failure(fold, run, e), e);
    } finally {
      ctx.spark.sparkContext().clearJobGroup();
    }
  }
}
