package io.tunelake.bench;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Proposal;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.Optimizers;
import io.tunelake.space.Categorical;
import io.tunelake.space.Condition;
import io.tunelake.space.Domain;
import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;

/**
 * Runs every registered optimizer on standard test functions (Branin, Hartmann-6, Rosenbrock-4,
 * Ackley-5, a mixed int/categorical/log problem, a conditional one and a mostly categorical one), 100 evaluations asked in batches of 8, over
 * several seeds, and prints the median simple regret at 20/50/100 evaluations, its ratio to random
 * search, and ask() latency with 1,000 finished trials. The last line is machine-readable.
 *
 * <p>Arguments: {@code [seeds] [threads] [algorithms] [functions]} (lists comma-separated);
 * defaults 10, 2, every registered algorithm, every function.
 */
final class OptimizerBenchmark {
  private static final int EVALS = 100;
  private static final int BATCH = 8;
  private static final int[] CHECKPOINTS = {20, 50, 100};

  private OptimizerBenchmark() {}

  record Problem(String name, SearchSpace space, ToDoubleFunction<Map<String, Object>> f, double optimum) {}

  static double d(Map<String, Object> p, String k) {
    return ((Number) p.get(k)).doubleValue();
  }

  static List<Problem> problems() {
    List<Problem> out = new ArrayList<>();
    out.add(new Problem("branin",
        SearchSpace.of(FloatRange.of("x1", -5, 10), FloatRange.of("x2", 0, 15)), p -> {
          double x1 = d(p, "x1");
          double x2 = d(p, "x2");
          double b = 5.1 / (4 * Math.PI * Math.PI);
          double c = 5 / Math.PI;
          double t = 1 / (8 * Math.PI);
          return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
        }, 0.397887));
    List<Domain> h6 = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      h6.add(FloatRange.of("x" + i, 0, 1));
    }
    out.add(new Problem("hartmann6", SearchSpace.of(h6), OptimizerBenchmark::hartmann6, -3.32237));
    List<Domain> r4 = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      r4.add(FloatRange.of("x" + i, -5, 10));
    }
    out.add(new Problem("rosenbrock4", SearchSpace.of(r4), p -> {
      double s = 0;
      for (int i = 0; i < 3; i++) {
        double a = d(p, "x" + i);
        double b = d(p, "x" + (i + 1));
        s += 100 * Math.pow(b - a * a, 2) + Math.pow(1 - a, 2);
      }
      return s;
    }, 0));
    List<Domain> a5 = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      a5.add(FloatRange.of("x" + i, -32.768, 32.768));
    }
    out.add(new Problem("ackley5", SearchSpace.of(a5), p -> {
      double s1 = 0;
      double s2 = 0;
      for (int i = 0; i < 5; i++) {
        double x = d(p, "x" + i);
        s1 += x * x;
        s2 += Math.cos(2 * Math.PI * x);
      }
      return -20 * Math.exp(-0.2 * Math.sqrt(s1 / 5)) - Math.exp(s2 / 5) + 20 + Math.E;
    }, 0));
    out.add(new Problem("mixed",
        SearchSpace.of(FloatRange.logOf("lr", 1e-4, 1), IntRange.of("n", 1, 100),
            Categorical.of("kind", "a", "b", "c", "d"), FloatRange.of("y", -1, 1), IntRange.logOf("width", 1, 64)),
        p -> {
          double lr = Math.log10(d(p, "lr"));
          double kind = switch ((String) p.get("kind")) {
            case "a" -> 0.5;
            case "b" -> 0.0;
            case "c" -> 0.3;
            default -> 1.0;
          };
          double w = Math.log(d(p, "width")) / Math.log(2);
          return Math.pow(lr + 2, 2) / 4 + Math.pow((d(p, "n") - 37) / 30, 2) + kind + Math.pow(d(p, "y"), 2)
              + Math.pow(w - 3, 2) / 9;
        }, 0));
    out.add(new Problem("conditional",
        SearchSpace.of(
            List.of(FloatRange.logOf("lr", 1e-4, 1), Categorical.of("model", "a", "b", "c"), FloatRange.of("xa", 0, 1),
                FloatRange.logOf("ya", 1e-3, 10), IntRange.of("nb", 1, 50), FloatRange.of("xb", -1, 1)),
            Map.of("xa", Condition.of("model", "a"), "ya", Condition.of("model", "a"), "nb", Condition.of("model", "b"),
                "xb", Condition.of("model", "b"))),
        p -> {
          double common = Math.pow(Math.log10(d(p, "lr")) + 2, 2) / 8;
          switch ((String) p.get("model")) {
            case "a":
              return common + 0.2 + Math.pow(d(p, "xa") - 0.3, 2) + Math.pow(Math.log10(d(p, "ya")), 2) / 4;
            case "b":
              return common + Math.pow((d(p, "nb") - 20) / 25, 2) + Math.pow(d(p, "xb") - 0.5, 2);
            default:
              return common + 0.6;
          }
        }, 0));
    out.add(new Problem("categorical",
        SearchSpace.of(Categorical.of("c1", "a", "b", "c", "d"), Categorical.of("c2", "a", "b", "c"),
            Categorical.of("c3", "a", "b", "c", "d", "e"), Categorical.of("c4", true, false),
            Categorical.of("c5", 0, 1, 2, 3, 4, 5), FloatRange.of("x", 0, 1)),
        p -> {
          String c1 = (String) p.get("c1");
          String c2 = (String) p.get("c2");
          double t1 = Map.of("a", 0.5, "b", 0.2, "c", 0.9, "d", 0.4).get(c1);
          double t2 = Map.of("a", 0.3, "b", 0.6, "c", 0.0).get(c2);
          double t3 = Map.of("a", 0.7, "b", 0.1, "c", 0.5, "d", 0.3, "e", 0.9).get((String) p.get("c3"));
          double t4 = Boolean.TRUE.equals(p.get("c4")) ? 0.3 : 0.0;
          double t5 = new double[] {0.4, 0.8, 0.0, 0.6, 0.2, 0.5}[(Integer) p.get("c5")];
          double interaction = c1.equals(c2) ? -0.5 : 0.0;
          return t1 + t2 + t3 + t4 + t5 + interaction + Math.pow(d(p, "x") - 0.3, 2);
        }, 0.3));
    return out;
  }

  static double hartmann6(Map<String, Object> p) {
    double[] alpha = {1.0, 1.2, 3.0, 3.2};
    double[][] a = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8},
        {17, 8, 0.05, 10, 0.1, 14}};
    double[][] pp = {{0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886}, {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
        {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650}, {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};
    double s = 0;
    for (int i = 0; i < 4; i++) {
      double inner = 0;
      for (int j = 0; j < 6; j++) {
        inner += a[i][j] * Math.pow(d(p, "x" + j) - pp[i][j], 2);
      }
      s += alpha[i] * Math.exp(-inner);
    }
    return -s;
  }

  /** Best-so-far regret after each evaluation. */
  static double[] run(String algorithm, Problem problem, long seed) {
    Optimizer opt = Optimizers.create(algorithm, problem.space(), Direction.MINIMIZE, seed);
    List<Observation> history = new ArrayList<>();
    double[] regret = new double[EVALS];
    double best = Double.POSITIVE_INFINITY;
    while (history.size() < EVALS) {
      int n = Math.min(BATCH, EVALS - history.size());
      List<Map<String, Object>> batch = Proposal.params(opt.ask(n, history, List.of()));
      if (batch.isEmpty()) {
        break;
      }
      for (Map<String, Object> params : batch) {
        double v = problem.f().applyAsDouble(params);
        history.add(Observation.complete(params, v));
        best = Math.min(best, v);
        regret[history.size() - 1] = best - problem.optimum();
      }
    }
    for (int i = history.size(); i < EVALS; i++) {
      regret[i] = best - problem.optimum();
    }
    return regret;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
  }

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    List<String> algorithms = args.length > 2 && !args[2].isBlank() ? List.of(args[2].split(",")) : new ArrayList<>(Optimizers.names());
    if (!algorithms.contains("random")) {
      List<String> withRandom = new ArrayList<>(algorithms);
      withRandom.add(0, "random");
      algorithms = withRandom;
    }
    List<Problem> problems = problems();
    if (args.length > 3 && !args[3].isBlank()) {
      List<String> wanted = List.of(args[3].split(","));
      problems = problems.stream().filter(p -> wanted.contains(p.name())).toList();
    }
    System.out.printf("optimizer benchmark: %d evaluations in batches of %d, %d seeds, %d threads%n", EVALS, BATCH,
        seeds, threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Map<String, List<Future<double[]>>> futures = new LinkedHashMap<>();
    Map<String, List<Future<Long>>> times = new LinkedHashMap<>();
    for (Problem problem : problems) {
      for (String alg : algorithms) {
        List<Future<double[]>> runs = new ArrayList<>();
        List<Future<Long>> ts = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
          long seed = 1000 + s;
          long[] elapsed = new long[1];
          Future<double[]> f = pool.submit(() -> {
            long t0 = System.nanoTime();
            double[] r = run(alg, problem, seed);
            elapsed[0] = System.nanoTime() - t0;
            return r;
          });
          runs.add(f);
          ts.add(pool.submit(() -> {
            f.get();
            return elapsed[0];
          }));
        }
        futures.put(problem.name() + "/" + alg, runs);
        times.put(problem.name() + "/" + alg, ts);
      }
    }
    Map<String, double[]> medians = new LinkedHashMap<>();
    System.out.printf("%n%-12s %-8s %12s %12s %12s %10s %12s%n", "function", "algo", "regret@20", "regret@50",
        "regret@100", "vs random", "ms/run");
    StringBuilder summary = new StringBuilder("summary:");
    for (Problem problem : problems) {
      for (String alg : algorithms) {
        List<Future<double[]>> runs = futures.get(problem.name() + "/" + alg);
        double[] med = new double[CHECKPOINTS.length];
        for (int c = 0; c < CHECKPOINTS.length; c++) {
          double[] at = new double[runs.size()];
          for (int s = 0; s < runs.size(); s++) {
            at[s] = runs.get(s).get()[CHECKPOINTS[c] - 1];
          }
          med[c] = median(at);
        }
        long total = 0;
        for (Future<Long> t : times.get(problem.name() + "/" + alg)) {
          total += t.get();
        }
        medians.put(problem.name() + "/" + alg, med);
        double randomAt100 = medians.get(problem.name() + "/random")[2];
        double ratio = ratio(med[2], randomAt100);
        System.out.printf("%-12s %-8s %12.4g %12.4g %12.4g %10.3g %12.1f%n", problem.name(), alg, med[0], med[1],
            med[2], ratio, total / 1e6 / runs.size());
      }
    }
    pool.shutdown();
    System.out.printf("%nmean ratio to random at %d evaluations (geometric mean over functions):%n", EVALS);
    for (String alg : algorithms) {
      double logSum = 0;
      for (Problem problem : problems) {
        logSum += Math.log(Math.max(1e-12, ratio(medians.get(problem.name() + "/" + alg)[2],
            medians.get(problem.name() + "/random")[2])));
      }
      System.out.printf("  %-8s %.3g%n", alg, Math.exp(logSum / problems.size()));
    }
    System.out.printf("%nask() latency, batch of %d after 1000 finished trials in a 6-dim space (hartmann6):%n", BATCH);
    Problem h6 = problems().get(1);
    List<Observation> history = new ArrayList<>();
    Random rng = new Random(99);
    for (int i = 0; i < 1000; i++) {
      Map<String, Object> p = h6.space().sample(rng);
      history.add(Observation.complete(p, h6.f().applyAsDouble(p)));
    }
    for (String alg : algorithms) {
      Optimizer opt = Optimizers.create(alg, h6.space(), Direction.MINIMIZE, 7);
      opt.ask(BATCH, history.subList(0, 50), List.of());
      long t0 = System.nanoTime();
      opt.ask(BATCH, history, List.of());
      long t1 = System.nanoTime();
      System.out.printf("  %-8s %8.1f ms%n", alg, (t1 - t0) / 1e6);
      summary.append(String.format(" latency_ms_%s=%.1f", alg, (t1 - t0) / 1e6));
    }
    StringBuilder pairs = new StringBuilder("summary:");
    for (String alg : algorithms) {
      if (alg.equals("random")) {
        continue;
      }
      for (Problem problem : problems) {
        pairs.append(String.format(" %s_vs_random_%s=%.4g", alg, problem.name(),
            ratio(medians.get(problem.name() + "/" + alg)[2], medians.get(problem.name() + "/random")[2])));
      }
    }
    System.out.println();
    System.out.println(summary.toString().replace("summary:", "latency:"));
    System.out.println(pairs);
  }

  static double ratio(double a, double random) {
    if (random <= 0) {
      return a <= 0 ? 1.0 : Double.POSITIVE_INFINITY;
    }
    return a / random;
  }
}
