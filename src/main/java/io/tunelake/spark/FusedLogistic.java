package io.tunelake.spark;

import breeze.linalg.DenseVector;
import breeze.linalg.DenseVector$;
import breeze.math.MutableFiniteCoordinateField;
import breeze.optimize.DiffFunction;
import breeze.optimize.FirstOrderMinimizer;
import breeze.optimize.LBFGS;
import breeze.optimize.OWLQN;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/**
 * Binary logistic regressions of many (trial, fold) pairs fitted together: every optimizer
 * step of every model in one Spark job, where MLlib's {@code LogisticRegression} runs a job per
 * step per model (with the driver work around each: closure cleaning, planning, blockifying).
 *
 * <p>The objective, the optimizer and the result are MLlib's: the features standardized by
 * their unbiased deviation and centred through the intercept, the mean log-loss plus the
 * elastic-net penalty on the standardized coefficients (none on the intercept), Breeze's
 * L-BFGS (history 10), or OWL-QN when there is an L1 part, with the estimator's {@code maxIter}
 * and {@code tol}, started from zero coefficients and the log-odds intercept. Each model's
 * optimizer runs on its own driver thread and blocks in the loss function; once every running
 * model has asked for a point, one Spark job over the packed training rows of all folds
 * computes all their losses and gradients. The fitted coefficients become an MLlib
 * {@link LogisticRegressionModel} carrying the estimator's params, scored like any other.
 *
 * <p>What is fused: {@code LogisticRegression} on a two-class label with the binomial (or auto)
 * family, no coefficient bounds, no weight column and no {@code thresholds}; anything else is
 * fitted by MLlib one model at a time.
 */
final class FusedLogistic implements AutoCloseable {
  /** Past this many coefficients per pass, a group's gradient sums would strain task memory. */
  static final int MAX_COEFFICIENTS_PER_PASS = 1 << 22;
  /** Past this many partial sums (8 bytes each) over all partitions, a pass merges them on the executors. */
  static final long MAX_COEFFICIENTS_MERGED_ON_DRIVER = 1L << 24;
  private static final int HISTORY = 10;
  private static final MutableFiniteCoordinateField<DenseVector<Object>, Object, Object> SPACE =
      DenseVector$.MODULE$.space_Double();

  private final JavaRDD<LogisticBlocks.Block> blocks;
  private final List<LogisticBlocks.FoldMoments> moments;
  private final ExecutorService optimizers;

  private FusedLogistic(JavaRDD<LogisticBlocks.Block> blocks, List<LogisticBlocks.FoldMoments> moments) {
    this.blocks = blocks;
    this.moments = moments;
    AtomicInteger threads = new AtomicInteger();
    this.optimizers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "tunelake-lbfgs-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Whether {@code plan}'s study fits {@code est} here: fused fits are on and {@code est} fuses. */
  static boolean fuses(SparkStudyPlan plan, Estimator<?> est) {
    return plan.spec().search().fusedFits() && fuses(est, plan.numClasses());
  }

  /** Whether {@code est} is a logistic regression this class fits as MLlib would. */
  static boolean fuses(Estimator<?> est, int numClasses) {
    if (!(est instanceof LogisticRegression lr) || numClasses != 2 || lr.getFamily().equals("multinomial")) {
      return false;
    }
    return !lr.isSet(lr.lowerBoundsOnCoefficients()) && !lr.isSet(lr.upperBoundsOnCoefficients())
        && !lr.isSet(lr.lowerBoundsOnIntercepts()) && !lr.isSet(lr.upperBoundsOnIntercepts())
        && !lr.isSet(lr.thresholds()) && (!lr.isDefined(lr.weightCol()) || lr.getWeightCol().isEmpty());
  }

  /**
   * Packs the training rows of every fold ({@code folds.get(i)} for fold i: label and
   * featurized vector) into cached blocks spread over the cluster's cores, and computes every
   * fold's feature moments and class counts: two Spark jobs, once per study.
   */
  static FusedLogistic prepare(SparkSession spark, List<Dataset<Row>> folds, String label) {
    Dataset<Row> rows = null;
    for (int i = 0; i < folds.size(); i++) {
      Dataset<Row> fold = folds.get(i).select(functions.lit(i), functions.col(label).cast("double"),
          functions.col(SparkPipelines.FEATURES));
      rows = rows == null ? fold : rows.union(fold);
    }
    // A pass computes every model of a round on each row: work enough for every core even on small
    // data, so the blocks are spread over all of them. They are packed before that shuffle, not
    // after it: a task ships its RDD's lineage up to the last shuffle, and through the SQL plan
    // (Dataset.javaRDD) that lineage held the plan's deserializer, whose deserialization was a
    // quarter of the passes' task time on adult.csv.
    JavaRDD<LogisticBlocks.Block> blocks = rows.javaRDD().mapPartitions(LogisticBlocks::pack)
        .repartition(spark.sparkContext().defaultParallelism()).persist(StorageLevel.MEMORY_AND_DISK());
    blocks.setName("tunelake fused logistic regression: training rows of " + folds.size() + " folds");
    LogisticBlocks.Moments m = blocks.treeAggregate(new LogisticBlocks.Moments(), LogisticBlocks.Moments::add,
        LogisticBlocks.Moments::merge);
    return new FusedLogistic(blocks, m.folds);
  }

  /** Whether every fold's training rows hold both classes, as a binomial fit needs. */
  boolean bothClassesInEveryFold() {
    return moments.stream().allMatch(m -> m != null && m.classes[0] > 0 && m.classes[1] > 0);
  }

  /** How many coefficients a model of {@code fold} has. */
  int dimension(int fold) {
    return moments.get(fold).mean.length;
  }

  /** One model to fit: the configured estimator and the fold whose training rows it fits. */
  record Fit(LogisticRegression estimator, int fold) {}

  /** A fitted model, or why its fit failed. */
  record Fitted(LogisticRegressionModel model, String error) {}

  /**
   * Fits {@code fits} together, in the Spark job group of the calling thread; the results come
   * in the same order. A failed Spark job fails them all; an optimizer that fails fails its own.
   */
  List<Fitted> fit(List<Fit> fits) throws InterruptedException {
    return fit(fits, i -> false);
  }

  /**
   * As {@link #fit(List)}, and a fit for which {@code dropped} turns true (its trial was pruned)
   * leaves the lockstep at its next step: no later pass computes it, and its result is an error.
   */
  List<Fitted> fit(List<Fit> fits, IntPredicate dropped) throws InterruptedException {
    Lockstep lockstep = new Lockstep(fits.size(), dropped);
    List<Future<Fitted>> running = new ArrayList<>();
    for (int i = 0; i < fits.size(); i++) {
      int index = i;
      running.add(optimizers.submit(() -> optimize(fits.get(index), index, lockstep)));
    }
    try {
      Map<Integer, Question> asked;
      while (!(asked = lockstep.questions()).isEmpty()) {
        lockstep.answer(pass(fits, asked));
      }
    } catch (RuntimeException e) {
      lockstep.fail(e);
    } catch (InterruptedException e) {
      lockstep.fail(new IllegalStateException("interrupted"));
      running.forEach(f -> f.cancel(true));
      throw e;
    }
    List<Fitted> out = new ArrayList<>();
    for (Future<Fitted> f : running) {
      try {
        out.add(f.get());
      } catch (ExecutionException e) {
        out.add(new Fitted(null, SparkCrossValidation.rootMessage(e.getCause())));
      }
    }
    return out;
  }

  /** One pass over the blocks: the loss sums of every asked point. */
  private Map<Integer, double[]> pass(List<Fit> fits, Map<Integer, Question> asked) {
    int n = asked.size();
    int[] index = new int[n];
    int[] fold = new int[n];
    double[][] weights = new double[n][];
    double[] offsets = new double[n];
    int r = 0;
    for (Map.Entry<Integer, Question> e : asked.entrySet()) {
      index[r] = e.getKey();
      fold[r] = fits.get(e.getKey()).fold();
      weights[r] = e.getValue().weights();
      offsets[r] = e.getValue().offset();
      r++;
    }
    LogisticBlocks.Request q = new LogisticBlocks.Request(fold, weights, offsets);
    LogisticBlocks.LossSums sums = lossSums(q, MAX_COEFFICIENTS_MERGED_ON_DRIVER);
    Map<Integer, double[]> out = new HashMap<>();
    for (int i = 0; i < n; i++) {
      double[] s = sums.sums == null ? null : sums.sums[i];
      out.put(index[i], s != null ? s : new double[weights[i].length + 3]);
    }
    return out;
  }

  /**
   * The loss sums of {@code q} over all blocks. When every partition's sums together are small,
   * one job whose function is a named class and whose partition results the driver merges:
   * Spark's closure cleaner skips such a function, where for the closures that
   * {@code treeAggregate} wraps around its own it parses a class file on every job, a sixth of
   * all CPU samples in the rounds on adult.csv. Past {@code mergedOnDriver} partial sums, a
   * {@code treeAggregate} merges on the executors.
   */
  LogisticBlocks.LossSums lossSums(LogisticBlocks.Request q, long mergedOnDriver) {
    long coefficients = 0;
    for (double[] w : q.weights()) {
      coefficients += w.length + 3;
    }
    if (blocks.getNumPartitions() * coefficients > mergedOnDriver) {
      return blocks.treeAggregate(new LogisticBlocks.LossSums(), (s, b) -> s.add(q, b), LogisticBlocks.LossSums::merge);
    }
    LogisticBlocks.LossSums[] parts = (LogisticBlocks.LossSums[]) blocks.context().runJob(blocks.rdd(),
        new LogisticBlocks.PartitionSums(q), ClassTag$.MODULE$.apply(LogisticBlocks.LossSums.class));
    LogisticBlocks.LossSums sums = new LogisticBlocks.LossSums();
    for (LogisticBlocks.LossSums part : parts) {
      sums = sums.merge(part);
    }
    return sums;
  }

  /** Runs one model's optimizer on this thread, asking {@code lockstep} for every loss. */
  private Fitted optimize(Fit fit, int index, Lockstep lockstep) {
    try {
      LogisticRegression lr = fit.estimator();
      LogisticBlocks.FoldMoments m = moments.get(fit.fold());
      int dim = m.mean.length;
      boolean intercept = lr.getFitIntercept();
      boolean standardization = lr.getStandardization();
      double[] std = m.std();
      double[] inverseStd = new double[dim];
      double[] scaledMean = new double[dim];
      for (int j = 0; j < dim; j++) {
        inverseStd[j] = std[j] != 0 ? 1 / std[j] : 0;
        scaledMean[j] = inverseStd[j] * m.mean[j];
      }
      double l1 = lr.getElasticNetParam() * lr.getRegParam();
      double l2 = (1 - lr.getElasticNetParam()) * lr.getRegParam();
      DiffFunction<DenseVector<Object>> loss = cached(beta -> {
        double[] weights = new double[dim];
        double offset = intercept ? beta[dim] : 0;
        for (int j = 0; j < dim; j++) {
          weights[j] = beta[j] * inverseStd[j];
          if (intercept) {
            offset -= beta[j] * scaledMean[j];
          }
        }
        double[] s = lockstep.ask(index, new Question(weights, offset));
        double rows = s[dim + 2];
        double value = s[dim + 1] / rows;
        double[] grad = new double[beta.length];
        for (int j = 0; j < dim; j++) {
          grad[j] = (inverseStd[j] * s[j] - (intercept ? scaledMean[j] * s[dim] : 0)) / rows;
          if (l2 != 0) {
            double scale = standardization ? 1 : (std[j] != 0 ? 1 / (std[j] * std[j]) : 0);
            value += 0.5 * l2 * beta[j] * beta[j] * scale;
            grad[j] += l2 * beta[j] * scale;
          }
        }
        if (intercept) {
          grad[dim] = s[dim] / rows;
        }
        return new Tuple2<>(value, grad);
      });
      FirstOrderMinimizer<DenseVector<Object>, DiffFunction<DenseVector<Object>>> optimizer;
      if (l1 == 0) {
        optimizer = new LBFGS<>(lr.getMaxIter(), HISTORY, lr.getTol(), SPACE);
      } else {
        scala.Function1<Object, Object> l1At = i -> {
          int j = (Integer) i;
          if (intercept && j >= dim) {
            return 0.0;
          }
          return standardization ? l1 : (std[j] != 0 ? l1 / std[j] : 0.0);
        };
        optimizer = new OWLQN<Object, DenseVector<Object>>(lr.getMaxIter(), HISTORY, l1At, lr.getTol(), SPACE);
      }
      double[] start = new double[dim + (intercept ? 1 : 0)];
      if (intercept) {
        start[dim] = Math.log(m.classes[1] / m.classes[0]);
      }
      scala.collection.Iterator<? extends FirstOrderMinimizer.State<DenseVector<Object>, ?, ?>> states =
          optimizer.iterations(loss, dense(start));
      FirstOrderMinimizer.State<DenseVector<Object>, ?, ?> state = null;
      while (states.hasNext()) {
        state = states.next();
      }
      if (state == null) {
        return new Fitted(null, "the optimizer of logistic regression returned no solution");
      }
      double[] x = array(state.x());
      double[] coefficients = new double[dim];
      double b = intercept ? x[dim] : 0;
      for (int j = 0; j < dim; j++) {
        coefficients[j] = std[j] != 0 ? x[j] / std[j] : 0;
        if (intercept) {
          b -= x[j] * scaledMean[j];
        }
      }
      return new Fitted(model(lr, Vectors.dense(coefficients), b), null);
    } catch (RuntimeException e) {
      return new Fitted(null, SparkCrossValidation.rootMessage(e));
    } finally {
      lockstep.done();
    }
  }

  /** An MLlib model with {@code lr}'s params, as {@code lr.fit} would return it. */
  private static LogisticRegressionModel model(LogisticRegression lr, Vector coefficients, double intercept) {
    // MLlib builds its models with this constructor too; it is private[spark] in Scala only.
    return FittedModels.withParamsOf(lr, new LogisticRegressionModel(lr.uid(), coefficients, intercept));
  }

  private static DenseVector<Object> dense(double[] values) {
    return new DenseVector<>(values);
  }

  private static double[] array(DenseVector<Object> v) {
    double[] out = new double[v.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.apply$mcD$sp(i);
    }
    return out;
  }

  /** Drops the cached blocks and stops the optimizer threads. */
  @Override
  public void close() {
    optimizers.shutdownNow();
    blocks.unpersist(false);
  }

  /** A point's loss and gradient, computed by whoever answers the point. */
  @FunctionalInterface
  private interface LossAt {
    Tuple2<Double, double[]> at(double[] x) throws InterruptedException;
  }

  /**
   * Breeze's view of a {@link LossAt}, remembering the last point as MLlib's
   * {@code CachedDiffFunction} wrapper does (a line search may ask for the same point twice).
   */
  private static DiffFunction<DenseVector<Object>> cached(LossAt lossAt) {
    double[][] lastPoint = new double[1][];
    Tuple2<?, ?>[] lastValue = new Tuple2<?, ?>[1];
    return BreezeLoss.of(x -> {
      double[] point = array(x);
      if (lastPoint[0] == null || !Arrays.equals(point, lastPoint[0])) {
        try {
          lastValue[0] = lossAt.at(point);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
        lastPoint[0] = point;
      }
      return new Tuple2<>(lastValue[0]._1(), dense(((double[]) lastValue[0]._2()).clone()));
    });
  }

  /** A model's point as the pass needs it: weights on the raw features and the margin of a row of zeros. */
  private record Question(double[] weights, double offset) {}

  /**
   * Where the model threads meet the pass: each running model asks for one point and waits;
   * once all running models have asked, the coordinator takes the questions, runs one pass and
   * hands every model its answer.
   */
  private static final class Lockstep {
    private final Map<Integer, Question> questions = new HashMap<>();
    private final Map<Integer, double[]> answers = new HashMap<>();
    private final IntPredicate dropped;
    private int running;
    private RuntimeException failure;

    Lockstep(int models, IntPredicate dropped) {
      this.running = models;
      this.dropped = dropped;
    }

    synchronized double[] ask(int model, Question point) throws InterruptedException {
      if (failure != null) {
        throw failure;
      }
      if (dropped.test(model)) {
        throw new IllegalStateException("dropped from its lockstep group: its trial was pruned");
      }
      questions.put(model, point);
      notifyAll();
      while (!answers.containsKey(model)) {
        if (failure != null) {
          throw failure;
        }
        wait();
      }
      return answers.remove(model);
    }

    synchronized void done() {
      running--;
      notifyAll();
    }

    /** Waits until every running model has asked; empty once none is running. */
    synchronized Map<Integer, Question> questions() throws InterruptedException {
      while (questions.size() < running) {
        wait();
      }
      Map<Integer, Question> out = new HashMap<>(questions);
      questions.clear();
      return out;
    }

    synchronized void answer(Map<Integer, double[]> a) {
      answers.putAll(a);
      notifyAll();
    }

    synchronized void fail(RuntimeException e) {
      failure = e;
      notifyAll();
    }
  }
}
