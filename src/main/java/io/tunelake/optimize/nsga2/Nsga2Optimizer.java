package io.tunelake.optimize.nsga2;

import io.tunelake.optimize.Batch;
import io.tunelake.optimize.Direction;
import io.tunelake.optimize.ModelBasedOptimizer;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Option;
import io.tunelake.optimize.Pareto;
import io.tunelake.optimize.ParetoTrial;
import io.tunelake.optimize.Startup;
import io.tunelake.optimize.UnitDim;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * NSGA-II (Deb et al. 2002) over the unit cube of a conditional space. The first
 * {@code population_size} slots are the scrambled Sobol design; after that, each ask rebuilds
 * the parent population from the history alone: every complete trial is ranked by constrained
 * non-dominated sorting (feasible before infeasible), and the best {@code population_size} by
 * rank, then crowding distance, survive, which is the paper's elitist (mu + lambda) selection
 * applied to everything evaluated so far. Each child comes from two binary tournaments (lower
 * rank wins, then larger crowding distance), simulated binary crossover with probability
 * {@code crossover_prob} (each continuous or integer coordinate crossed with probability 1/2,
 * distribution index {@code crossover_eta}) and polynomial mutation of each coordinate with
 * probability {@code mutation_prob} (default 1 / searched dimensions, index {@code mutation_eta}).
 * A categorical coordinate is inherited from either parent and mutated by a uniform redraw; a
 * coordinate inactive in one parent comes from the other, and from a uniform draw when inactive
 * in both (the child may activate a branch neither parent used). Failed and pruned trials never
 * become parents.
 */
final class Nsga2Optimizer extends ModelBasedOptimizer {
  static final Option POPULATION = Option.integer("population_size", 2, Integer.MAX_VALUE, 20,
      "parents kept per generation; also the size of the Sobol design that starts the search");
  static final Option CROSSOVER_PROB = Option.real("crossover_prob", 0, false, 1, 0.9,
      "probability that a child is a crossover of its two parents rather than a copy of the first");
  static final Option CROSSOVER_ETA = Option.real("crossover_eta", 0, true, Double.MAX_VALUE, 20,
      "distribution index of simulated binary crossover: larger keeps children nearer their parents");
  static final Option MUTATION_PROB = new Option("mutation_prob", Option.Type.REAL, 0, false, 1, null,
      "probability that a coordinate mutates; default 1 / searched dimensions");
  static final Option MUTATION_ETA = Option.real("mutation_eta", 0, true, Double.MAX_VALUE, 20,
      "distribution index of polynomial mutation: larger keeps mutants nearer the child");
  static final List<Option> OPTIONS = List.of(POPULATION, CROSSOVER_PROB, CROSSOVER_ETA, MUTATION_PROB,
      MUTATION_ETA);
  private static final int MAX_RETRIES = 16;
  private final SearchSpace space;
  private final List<Direction> directions;
  private final List<UnitDim> dims;
  private final int population;
  private final double crossoverProb;
  private final double crossoverEta;
  private final double mutationProb;
  private final double mutationEta;

  Nsga2Optimizer(OptimizerConfig config) {
    super("nsga2", withDesign(config), 1);
    this.space = config.space();
    this.directions = config.objectives();
    this.dims = UnitDim.of(space);
    this.population = config.intValue(POPULATION);
    this.crossoverProb = config.realValue(CROSSOVER_PROB);
    this.crossoverEta = config.realValue(CROSSOVER_ETA);
    this.mutationEta = config.realValue(MUTATION_ETA);
    this.mutationProb = config.has(MUTATION_PROB) ? config.realValue(MUTATION_PROB) : 1.0 / Math.max(1, dims.size());
  }

  /** The config whose startup design is one population unless {@code startup_trials} says otherwise. */
  private static OptimizerConfig withDesign(OptimizerConfig config) {
    if (config.has(Startup.TRIALS)) {
      return config;
    }
    Map<String, Object> options = new HashMap<>(config.options());
    options.put(Startup.TRIALS.name(), config.intValue(POPULATION));
    return new OptimizerConfig(config.space(), config.direction(), config.seed(), options, config.objectives());
  }

  /** A parent: its point, its front (0 is the best) and its crowding distance within the front. */
  record Member(double[] x, int rank, double crowding) {}

  @Override
  protected void fill(Batch batch, List<Observation> history, List<Map<String, Object>> pending) {
    List<Member> parents = survivors(ParetoTrial.of(space, directions, history), population);
    while (!batch.isFull()) {
      if (parents.isEmpty()) {
        batch.addRandom();
        continue;
      }
      batch.addUnseen(() -> {
        Random rng = batch.rng();
        Member a = tournament(parents, rng);
        Member b = tournament(parents, rng);
        return space.fromUnit(mutate(crossover(a.x(), b.x(), rng), rng));
      }, MAX_RETRIES);
    }
  }

  /**
   * The best {@code size} of {@code trials} by constrained non-dominated rank, the last front
   * admitted cut by crowding distance (larger first, then older), in that order.
   */
  static List<Member> survivors(List<ParetoTrial> trials, int size) {
    double[][] losses = ParetoTrial.lossMatrix(trials);
    List<int[]> fronts = Pareto.fronts(losses, ParetoTrial.feasibility(trials));
    List<Member> out = new ArrayList<>();
    for (int rank = 0; rank < fronts.size() && out.size() < size; rank++) {
      int[] front = fronts.get(rank);
      double[] crowding = Pareto.crowding(losses, front);
      Integer[] order = new Integer[front.length];
      for (int i = 0; i < front.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -crowding[i]).thenComparingInt(i -> front[i]));
      for (int i = 0; i < front.length && out.size() < size; i++) {
        out.add(new Member(trials.get(front[order[i]]).x(), rank, crowding[order[i]]));
      }
    }
    return out;
  }

  /** Binary tournament between two parents drawn with replacement. */
  static Member tournament(List<Member> parents, Random rng) {
    Member a = parents.get(rng.nextInt(parents.size()));
    Member b = parents.get(rng.nextInt(parents.size()));
    return better(a, b);
  }

  /** The lower rank, then the larger crowding distance, then {@code a}. */
  static Member better(Member a, Member b) {
    if (a.rank() != b.rank()) {
      return a.rank() < b.rank() ? a : b;
    }
    return b.crowding() > a.crowding() ? b : a;
  }

  private double[] crossover(double[] a, double[] b, Random rng) {
    double[] child = new double[a.length];
    Arrays.fill(child, 0.5);
    boolean cross = rng.nextDouble() < crossoverProb;
    for (UnitDim d : dims) {
      int j = d.index();
      double x = a[j];
      double y = b[j];
      if (Double.isNaN(x) && Double.isNaN(y)) {
        child[j] = rng.nextDouble();
      } else if (Double.isNaN(x) || Double.isNaN(y)) {
        child[j] = Double.isNaN(x) ? y : x;
      } else if (!cross) {
        child[j] = x;
      } else if (d.kind() == UnitDim.Kind.CATEGORICAL) {
        child[j] = rng.nextBoolean() ? x : y;
      } else {
        child[j] = rng.nextBoolean() ? sbx(x, y, crossoverEta, rng) : x;
      }
    }
    return child;
  }

  /**
   * One child of simulated binary crossover bounded to {@code [0, 1]} (Deb and Agrawal 1995, in
   * the bounded form of Deb's NSGA-II code): either of the two children, with equal chance.
   */
  static double sbx(double x, double y, double eta, Random rng) {
    if (Math.abs(x - y) < 1e-14) {
      return x;
    }
    double lo = Math.min(x, y);
    double hi = Math.max(x, y);
    double u = rng.nextDouble();
    double c1 = 0.5 * ((lo + hi) - spread(1 + 2 * lo / (hi - lo), eta, u) * (hi - lo));
    double c2 = 0.5 * ((lo + hi) + spread(1 + 2 * (1 - hi) / (hi - lo), eta, u) * (hi - lo));
    double c = rng.nextBoolean() ? c1 : c2;
    return Math.min(1, Math.max(0, c));
  }

  private static double spread(double beta, double eta, double u) {
    double alpha = 2 - Math.pow(beta, -(eta + 1));
    return u <= 1 / alpha ? Math.pow(u * alpha, 1 / (eta + 1)) : Math.pow(1 / (2 - u * alpha), 1 / (eta + 1));
  }

  private double[] mutate(double[] x, Random rng) {
    for (UnitDim d : dims) {
      int j = d.index();
      if (rng.nextDouble() >= mutationProb) {
        continue;
      }
      x[j] = d.kind() == UnitDim.Kind.CATEGORICAL ? d.center(rng.nextInt(d.cardinality()))
          : polynomial(x[j], mutationEta, rng);
    }
    return x;
  }

  /** Polynomial mutation of {@code y} within {@code [0, 1]} (Deb and Goyal 1996, bounded form). */
  static double polynomial(double y, double eta, Random rng) {
    double u = rng.nextDouble();
    double power = 1 / (eta + 1);
    double delta;
    if (u < 0.5) {
      double v = 2 * u + (1 - 2 * u) * Math.pow(1 - y, eta + 1);
      delta = Math.pow(v, power) - 1;
    } else {
      double v = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(y, eta + 1);
      delta = 1 - Math.pow(v, power);
    }
    return Math.min(1, Math.max(0, y + delta));
  }
}
