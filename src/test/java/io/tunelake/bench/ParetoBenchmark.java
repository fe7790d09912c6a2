package io.tunelake.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Optimizers;
import io.tunelake.optimize.Pareto;
import io.tunelake.optimize.Proposal;
import io.tunelake.space.Domain;
import io.tunelake.space.FloatRange;
import io.tunelake.space.SearchSpace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Multi-objective searches on standard test problems: ZDT1 and ZDT2 (Zitzler et al. 2000; 30
 * dimensions, 2 objectives) and DTLZ2 (Deb et al. 2002; 12 dimensions, 3 objectives), 100
 * evaluations asked in batches of 4, several seeds; TuneLake's {@code nsga2}, {@code motpe},
 * {@code bayes} (ParEGO scalarisations) and {@code random}, and Optuna's NSGA-II and MOTPE in the
 * same run when {@code python3-optuna} is installed. Prints, per problem, the mean and standard
 * deviation of the hypervolume after 50 and 100 evaluations against a fixed reference point, and
 * a last machine-readable {@code summary:} line.
 *
 * <p>Arguments: {@code [seeds] [algorithms] [problems]} (lists comma-separated; an algorithm may carry
 * options, {@code motpe@multivariate=true}).
 */
final class ParetoBenchmark {
  private static final int EVALS = 100;
  private static final int BATCH = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ParetoBenchmark() {}

  record Problem(String name, int dims, int objectives, Function<double[], double[]> f, double[] reference) {}

  static double[] zdt(double[] x, boolean concave) {
    double s = 0;
    for (int i = 1; i < x.length; i++) {
      s += x[i];
    }
    double g = 1 + 9 * s / (x.length - 1);
    double r = x[0] / g;
    return new double[] {x[0], g * (1 - (concave ? r * r : Math.sqrt(r)))};
  }

  static double[] dtlz2(double[] x) {
    double g = 0;
    for (int i = 2; i < x.length; i++) {
      g += (x[i] - 0.5) * (x[i] - 0.5);
    }
    double a = x[0] * Math.PI / 2;
    double b = x[1] * Math.PI / 2;
    return new double[] {(1 + g) * Math.cos(a) * Math.cos(b), (1 + g) * Math.cos(a) * Math.sin(b),
        (1 + g) * Math.sin(a)};
  }

  static List<Problem> problems() {
    // Reference points just beyond the worst value each objective can take.
    return List.of(
        new Problem("zdt1", 30, 2, x -> zdt(x, false), new double[] {1.1, 11}),
        new Problem("zdt2", 30, 2, x -> zdt(x, true), new double[] {1.1, 11}),
        new Problem("dtlz2", 12, 3, ParetoBenchmark::dtlz2, new double[] {3.6, 3.6, 3.6}));
  }

  static SearchSpace space(int dims) {
    List<Domain> d = new ArrayList<>();
    for (int i = 0; i < dims; i++) {
      d.add(FloatRange.of("x" + i, 0, 1));
    }
    return SearchSpace.of(d);
  }

  static double[] point(Map<String, Object> p, int dims) {
    double[] x = new double[dims];
    for (int i = 0; i < dims; i++) {
      x[i] = ((Number) p.get("x" + i)).doubleValue();
    }
    return x;
  }

  /** Asks a batch of {@code n} given the values of every trial told so far. */
  interface Asker {
    List<Map<String, Object>> ask(int n, List<Observation> history, List<double[]> values) throws IOException;
  }

  /** Hypervolume after 50 and after 100 evaluations. */
  static double[] run(Asker asker, Problem problem) throws IOException {
    List<Observation> history = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    double[] hv = new double[2];
    while (values.size() < EVALS) {
      for (Map<String, Object> p : asker.ask(Math.min(BATCH, EVALS - values.size()), history, values)) {
        double[] f = problem.f().apply(point(p, problem.dims()));
        values.add(f);
        List<Double> boxed = Arrays.stream(f).boxed().toList();
        history.add(Observation.complete(p, f[0]).withObjectives(boxed, true));
        if (values.size() == EVALS / 2) {
          hv[0] = Pareto.hypervolume(values.toArray(new double[0][]), problem.reference());
        }
      }
    }
    hv[1] = Pareto.hypervolume(values.toArray(new double[0][]), problem.reference());
    return hv;
  }

  /** {@code name} is an algorithm, optionally with options, as {@link OptimizerBenchmark} takes it: {@code motpe@multivariate=true}. */
  static Asker tunelake(String name, Problem problem, long seed) {
    List<Direction> min = Collections.nCopies(problem.objectives(), Direction.MINIMIZE);
    Optimizer opt = Optimizers.create(OptimizerBenchmark.name(name), new OptimizerConfig(space(problem.dims()),
        Direction.MINIMIZE, seed, OptimizerBenchmark.options(name)).withObjectives(min));
    return (n, history, values) -> Proposal.params(opt.ask(n, history, List.of()));
  }

  /** Optuna's multi-objective sampler in a Python process, over the protocol of scripts/bench-pareto-optuna.py. */
  static final class OptunaProcess implements AutoCloseable {
    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;

    OptunaProcess(String python) throws IOException {
      process = new ProcessBuilder(python, "scripts/bench-pareto-optuna.py")
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    String line() throws IOException {
      String s = out.readLine();
      if (s == null) {
        throw new IOException("the Optuna process ended");
      }
      return s;
    }

    Asker start(String sampler, Problem problem, long seed) throws IOException {
      in.println("start " + JSON.writeValueAsString(Map.of("sampler", sampler, "seed", seed, "dims", problem.dims(),
          "objectives", problem.objectives())));
      int[] told = {0};
      return (n, history, values) -> {
        if (told[0] < values.size()) {
          in.println("tell " + JSON.writeValueAsString(values.subList(told[0], values.size())));
          line();
          told[0] = values.size();
        }
        in.println("ask " + n);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          @SuppressWarnings("unchecked")
          Map<String, Object> p = JSON.readValue(line(), LinkedHashMap.class);
          batch.add(p);
        }
        return batch;
      };
    }

    @Override
    public void close() {
      in.close();
      process.destroy();
    }

    /** A Python that imports optuna, or null. */
    static String python() {
      for (String candidate : new String[] {System.getenv().getOrDefault("TUNELAKE_PYTHON", "python3"), "/usr/bin/python3"}) {
        try {
          Process p = new ProcessBuilder(candidate, "-c", "import optuna").redirectErrorStream(true).start();
          p.getInputStream().readAllBytes();
          if (p.waitFor() == 0) {
            return candidate;
          }
        } catch (IOException | InterruptedException e) {
          // Try the next.
        }
      }
      return null;
    }
  }

  public static void main(String[] args) throws Exception {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    List<String> algorithms = new ArrayList<>(args.length > 1 && !args[1].isEmpty() ? List.of(args[1].split(","))
        : List.of("nsga2", "motpe", "bayes", "random"));
    List<Problem> problems = new ArrayList<>(problems());
    if (args.length > 2 && !args[2].isEmpty()) {
      List<String> wanted = List.of(args[2].split(","));
      problems.removeIf(p -> !wanted.contains(p.name()));
    }
    String python = "none".equals(System.getenv("TUNELAKE_PYTHON")) ? null : OptunaProcess.python();
    if (python != null) {
      algorithms.add("optuna_nsga2");
      algorithms.add("optuna_motpe");
    }
    System.out.printf(Locale.ROOT, "# %d evaluations in batches of %d, seeds 1..%d; %s%n", EVALS, BATCH, seeds,
        python == null ? "Optuna not found, not compared" : "Optuna's NSGA-II and MOTPE (defaults) from " + python);
    StringBuilder summary = new StringBuilder("summary:");
    try (OptunaProcess optuna = python == null ? null : new OptunaProcess(python)) {
      for (Problem problem : problems) {
        System.out.printf(Locale.ROOT, "%n%s (%d dims, %d objectives, reference %s): hypervolume mean ± sd%n",
            problem.name(), problem.dims(), problem.objectives(), Arrays.toString(problem.reference()));
        System.out.printf(Locale.ROOT, "  %-14s %18s %18s %10s%n", "algorithm", "at 50", "at 100", "seconds");
        String bestOurs = null;
        String bestOptuna = null;
        Map<String, Double> means = new LinkedHashMap<>();
        for (String alg : algorithms) {
          double[][] hv = new double[seeds][];
          long t0 = System.nanoTime();
          for (int s = 0; s < seeds; s++) {
            long seed = s + 1;
            Asker asker = alg.startsWith("optuna_") ? optuna.start(alg.substring(7), problem, seed)
                : tunelake(alg, problem, seed);
            hv[s] = run(asker, problem);
          }
          double secs = (System.nanoTime() - t0) / 1e9;
          double m50 = mean(hv, 0);
          double m100 = mean(hv, 1);
          means.put(alg, m100);
          System.out.printf(Locale.ROOT, "  %-14s %10.4f ± %-6.4f %10.4f ± %-6.4f %10.1f%n", alg, m50, sd(hv, 0, m50),
              m100, sd(hv, 1, m100), secs);
          if (alg.startsWith("optuna_")) {
            bestOptuna = bestOptuna == null || m100 > means.get(bestOptuna) ? alg : bestOptuna;
          } else if (!alg.equals("random")) {
            bestOurs = bestOurs == null || m100 > means.get(bestOurs) ? alg : bestOurs;
          }
        }
        if (bestOurs != null) {
          summary.append(String.format(Locale.ROOT, " %s_best=%s:%.4f", problem.name(), bestOurs, means.get(bestOurs)));
        }
        if (bestOptuna != null) {
          summary.append(String.format(Locale.ROOT, " %s_optuna_best=%s:%.4f", problem.name(), bestOptuna,
              means.get(bestOptuna)));
        }
      }
    }
    System.out.println();
    System.out.println(summary);
  }

  private static double mean(double[][] hv, int k) {
    return Arrays.stream(hv).mapToDouble(h -> h[k]).average().orElse(Double.NaN);
  }

  private static double sd(double[][] hv, int k, double mean) {
    double ss = Arrays.stream(hv).mapToDouble(h -> (h[k] - mean) * (h[k] - mean)).sum();
    return hv.length > 1 ? Math.sqrt(ss / (hv.length - 1)) : 0;
  }
}
