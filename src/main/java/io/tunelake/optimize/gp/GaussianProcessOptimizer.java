package io.tunelake.optimize.gp;

import io.tunelake.optimize.Batch;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Option;
import io.tunelake.optimize.ModelBasedOptimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.Startup;
import io.tunelake.optimize.UnitDim;
import io.tunelake.optimize.UnitTrial;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Gaussian-process Bayesian optimisation (Snoek et al. 2012) over the unit cube. After a short
 * scrambled Sobol startup design ({@code max(5, d + 1)} trials by default, so that a study asking
 * in batches gets model proposals from its second round), each ask fits a {@link GaussianProcess} (Matérn-5/2, one length
 * scale per dimension, MAP marginal likelihood) to the standardised losses and proposes the
 * maximiser of log expected improvement (Ament et al. 2023), found by {@code acq_candidates}
 * (default 1024) random starts plus perturbations of the best trials, refined with BOBYQA.
 *
 * <ul>
 *   <li>Integers are searched as reals and rounded; a categorical is one GP dimension that
 *       compares categories for equality; an inactive conditional parameter sits at the centre
 *       (a real) or at its own "inactive" category.
 *   <li>Failed trials are left out of the fit (they have no value) but never proposed again;
 *       pruned trials count with {@code max(partial loss, median complete loss)}, so they are
 *       never taken for good ones.
 *   <li>Batches and pending trials use the Kriging believer (Ginsbourger et al. 2010): each chosen
 *       point is added to the model with its posterior mean as if observed, which lowers the
 *       acquisition around it, and the next member is chosen from the updated model.
 *   <li>Speed: the model is conditioned on at most {@code gp_max_points} (default 300) trials,
 *       the best half and the most recent others, and its hyperparameters are fitted on at most
 *       {@code gp_fit_points} (default 100) of them, so ask() stays in seconds at thousands of
 *       trials.
 * </ul>
 */
final class GaussianProcessOptimizer extends ModelBasedOptimizer {
  static final Option MAX_POINTS = Option.integer("gp_max_points", 2, Integer.MAX_VALUE, 300,
      "trials the model is conditioned on at most: the best half and the most recent others");
  static final Option FIT_POINTS = Option.integer("gp_fit_points", 2, Integer.MAX_VALUE, 100,
      "trials the kernel's hyperparameters are fitted on at most");
  static final Option ACQ_CANDIDATES = Option.integer("acq_candidates", 1, Integer.MAX_VALUE, 1024,
      "random starts of the acquisition search, before its refinement");
  static final Option COST_AWARE = Option.flag("cost_aware", false,
      "maximise expected improvement per second: a second GP models the log duration of the trials");
  static final List<Option> OPTIONS = List.of(Startup.TRIALS, MAX_POINTS, FIT_POINTS, ACQ_CANDIDATES, COST_AWARE);
  private final SearchSpace space;
  private final int maxPoints;
  private final int fitPoints;
  private final int candidates;
  private final boolean costAware;
  private final List<UnitDim> dims;
  private final boolean[] categorical;
  private final int[] cardinality;

  GaussianProcessOptimizer(OptimizerConfig config) {
    super("gp", config, 2, Startup::gaussianProcessTrials);
    this.space = config.space();
    this.maxPoints = config.intValue(MAX_POINTS);
    this.fitPoints = config.intValue(FIT_POINTS);
    this.candidates = config.intValue(ACQ_CANDIDATES);
    this.costAware = config.flag(COST_AWARE);
    this.dims = UnitDim.of(space);
    this.categorical = new boolean[dims.size()];
    this.cardinality = new int[dims.size()];
    for (int j = 0; j < dims.size(); j++) {
      categorical[j] = dims.get(j).kind() == UnitDim.Kind.CATEGORICAL;
      cardinality[j] = dims.get(j).cardinality();
    }
  }

  @Override
  protected void fill(Batch batch, List<Observation> history, List<Map<String, Object>> pending) {
    if (dims.isEmpty()) {
      batch.fillRandomly();
      return;
    }
    Random rng = batch.rng();
    List<UnitTrial> points = trainingSet(unitTrials(history), rng);
    if (points.size() < 2) {
      batch.fillRandomly();
      return;
    }
    double[][] x = new double[points.size()][];
    double[] y = new double[points.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = encode(points.get(i).x());
      y[i] = points.get(i).loss();
    }
    standardise(y);
    GaussianProcess gp = GaussianProcess.fit(x, y, categorical, rng, fitPoints);
    ToDoubleFunction<double[]> logCost = costAware ? logCost(points, history, rng) : e -> 0;
    List<double[]> incumbents = new ArrayList<>();
    for (int i = 0; i < Math.min(5, x.length); i++) {
      incumbents.add(x[i]);
    }
    List<Map<String, Object>> believed = new ArrayList<>(pending);
    believed.addAll(batch.assignments());
    for (Map<String, Object> p : believed) {
      double[] e = encode(space.toUnit(p));
      gp = gp.with(e, gp.predict(e)[0]);
    }
    while (!batch.isFull()) {
      AcquisitionMaximizer maximizer = new AcquisitionMaximizer(gp, categorical, cardinality, candidates, 5, logCost);
      double[] e = maximizer.maximize(incumbents, rng, this::snap, s -> batch.seen().contains(decode(s)));
      if (e == null) {
        // Every candidate was tried already (a nearly exhausted discrete space).
        e = encode(space.toUnit(batch.addRandom()));
      } else {
        batch.add(decode(e));
      }
      if (!batch.isFull()) {
        gp = gp.with(e, gp.predict(e)[0]);
      }
    }
  }

  /**
   * The predicted log seconds of a point, from a GP on the log durations of the trials that
   * report one (Snoek et al. 2012, section 3.2); zero everywhere until two trials do.
   */
  private ToDoubleFunction<double[]> logCost(List<UnitTrial> points, List<Observation> history, Random rng) {
    List<double[]> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (UnitTrial t : points) {
      double seconds = history.get(t.order()).seconds();
      if (seconds > 0 && Double.isFinite(seconds)) {
        xs.add(encode(t.x()));
        ys.add(Math.log(seconds));
      }
    }
    if (xs.size() < 2) {
      return e -> 0;
    }
    double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
    double mean = Arrays.stream(y).average().orElse(0);
    double sd = Math.sqrt(Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, y.length - 1));
    if (!(sd > 0)) {
      return e -> 0;
    }
    standardise(y);
    GaussianProcess cost = GaussianProcess.fit(xs.toArray(new double[0][]), y, categorical, rng, fitPoints);
    return e -> sd * cost.predict(e)[0];
  }

  /**
   * The trials the model sees, best first: complete and pruned ones (pruned at no better than
   * the median), capped at {@code maxPoints}; the fit uses the first {@code fitPoints}, which are
   * the best quarter and then a random selection of the others.
   */
  private List<UnitTrial> trainingSet(List<UnitTrial> trials, Random rng) {
    List<UnitTrial> complete = trials.stream().filter(UnitTrial::isComplete).toList();
    double median = median(complete.stream().mapToDouble(UnitTrial::loss).toArray());
    List<UnitTrial> usable = new ArrayList<>();
    for (UnitTrial t : trials) {
      if (t.isFailed()) {
        continue;
      }
      if (!t.isComplete()) {
        double loss = Double.isNaN(median) ? t.loss() : Math.max(t.loss(), median);
        t = new UnitTrial(t.x(), loss, t.status(), t.budget(), t.order());
      }
      usable.add(t);
    }
    List<UnitTrial> byLoss = new ArrayList<>(usable);
    byLoss.sort(Comparator.comparingDouble(UnitTrial::loss).thenComparingInt(UnitTrial::order));
    if (byLoss.size() > maxPoints) {
      List<UnitTrial> kept = new ArrayList<>(byLoss.subList(0, maxPoints / 2));
      List<UnitTrial> rest = new ArrayList<>(byLoss.subList(maxPoints / 2, byLoss.size()));
      rest.sort(Comparator.comparingInt(UnitTrial::order).reversed());
      kept.addAll(rest.subList(0, maxPoints - kept.size()));
      kept.sort(Comparator.comparingDouble(UnitTrial::loss).thenComparingInt(UnitTrial::order));
      byLoss = kept;
    }
    int head = Math.min(byLoss.size(), Math.max(1, fitPoints / 4));
    List<UnitTrial> out = new ArrayList<>(byLoss.subList(0, head));
    List<UnitTrial> tail = new ArrayList<>(byLoss.subList(head, byLoss.size()));
    Collections.shuffle(tail, rng);
    out.addAll(tail);
    return out;
  }

  private static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
  }

  private static void standardise(double[] y) {
    double mean = Arrays.stream(y).average().orElse(0);
    double var = Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, y.length - 1);
    double sd = var > 0 ? Math.sqrt(var) : 1;
    for (int i = 0; i < y.length; i++) {
      y[i] = (y[i] - mean) / sd;
    }
  }

  /** The model's coordinates of a unit-cube point: searched dims, categories as indices. */
  private double[] encode(double[] u) {
    double[] e = new double[dims.size()];
    for (int j = 0; j < e.length; j++) {
      UnitDim dim = dims.get(j);
      double v = u[dim.index()];
      if (categorical[j]) {
        e[j] = Double.isNaN(v) ? -1 : dim.category(v);
      } else {
        e[j] = Double.isNaN(v) ? 0.5 : v;
      }
    }
    return e;
  }

  private Map<String, Object> decode(double[] e) {
    double[] u = new double[space.dimension()];
    Arrays.fill(u, 0.5);
    for (int j = 0; j < e.length; j++) {
      UnitDim dim = dims.get(j);
      u[dim.index()] = categorical[j] ? dim.center((int) Math.max(0, e[j])) : e[j];
    }
    return space.fromUnit(u);
  }

  private double[] snap(double[] e) {
    return encode(space.toUnit(decode(e)));
  }
}
