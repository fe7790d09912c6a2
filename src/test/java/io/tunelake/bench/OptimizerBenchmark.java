package io.tunelake.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.Optimizer;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Optimizers;
import io.tunelake.optimize.Proposal;
import io.tunelake.space.Categorical;
import io.tunelake.space.Condition;
import io.tunelake.space.Domain;
import io.tunelake.space.Fixed;
import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import io.tunelake.space.SearchSpace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
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
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * Runs TuneLake's optimizers, and Optuna's TPE and CMA-ES when {@code python3-optuna} is
 * installed, on standard test functions and two mixed problems of our own: 100 evaluations
 * asked in batches of 8, over several seeds. Prints, per problem, the mean log10 regret at 20,
 * 50 and 100 evaluations, a Mann–Whitney verdict at 100 against Optuna's TPE, the share of
 * proposals on a corner of the box, ask() latency with 1,000 finished trials, and a last
 * machine-readable {@code summary:} line.
 *
 * <p>Arguments: {@code [seeds] [threads] [algorithms] [problems]} (lists comma-separated);
 * defaults 20, 1, {@code random,sobol,tpe,cmaes,bayes} plus Optuna's, every problem.
 */
final class OptimizerBenchmark {
  private static final int EVALS = 100;
  private static final int BATCH = 8;
  private static final int[] CHECKPOINTS = {20, 50, 100};
  /** Regret below this counts as solved: log10 regret is floored at -8. */
  private static final double FLOOR = 1e-8;
  private static final ObjectMapper JSON = new ObjectMapper();

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
    List<Domain> st = new ArrayList<>();
    List<Domain> sw = new ArrayList<>();
    List<Domain> lv = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      st.add(FloatRange.of("x" + i, -5, 5));
      sw.add(FloatRange.of("x" + i, -500, 500));
      lv.add(FloatRange.of("x" + i, -10, 10));
    }
    // Optimum off the centre, at a fifth of each range.
    out.add(new Problem("styblinski4", SearchSpace.of(st), p -> {
      double s = 0;
      for (int i = 0; i < 4; i++) {
        double x = d(p, "x" + i);
        s += 0.5 * (Math.pow(x, 4) - 16 * x * x + 5 * x);
      }
      return s;
    }, -39.16616570377142 * 4));
    // Many local minima, the global one near a corner (420.97 of 500 in every coordinate).
    out.add(new Problem("schwefel4", SearchSpace.of(sw), p -> {
      double s = 418.9828872724338 * 4;
      for (int i = 0; i < 4; i++) {
        double x = d(p, "x" + i);
        s -= x * Math.sin(Math.sqrt(Math.abs(x)));
      }
      return s;
    }, 0));
    // Many local minima on a bowl.
    out.add(new Problem("levy4", SearchSpace.of(lv), p -> {
      double[] w = new double[4];
      for (int i = 0; i < 4; i++) {
        w[i] = 1 + (d(p, "x" + i) - 1) / 4;
      }
      double s = Math.pow(Math.sin(Math.PI * w[0]), 2);
      for (int i = 0; i < 3; i++) {
        s += Math.pow(w[i] - 1, 2) * (1 + 10 * Math.pow(Math.sin(Math.PI * w[i] + 1), 2));
      }
      return s + Math.pow(w[3] - 1, 2) * (1 + Math.pow(Math.sin(2 * Math.PI * w[3]), 2));
    }, 0));
    // A boosted-trees validation loss: learning rate and trees trade off, depth, row sampling in steps.
    out.add(new Problem("boosting",
        SearchSpace.of(FloatRange.logOf("stepSize", 1e-3, 1), IntRange.logOf("maxIter", 10, 1000),
            IntRange.of("maxDepth", 2, 12), new FloatRange("subsamplingRate", 0.5, 1.0, false, 0.1),
            Categorical.of("lossType", "logistic", "exponential", "squared"),
            Categorical.of("featureSubsetStrategy", "auto", "sqrt", "log2", "onethird")),
        p -> {
          double lr = Math.log10(d(p, "stepSize"));
          double trees = Math.log10(d(p, "maxIter"));
          double loss = Map.of("logistic", 0.0, "exponential", 0.1, "squared", 0.3).get((String) p.get("lossType"));
          double feat = Map.of("auto", 0.05, "sqrt", 0.0, "log2", 0.02, "onethird", 0.1)
              .get((String) p.get("featureSubsetStrategy"));
          return Math.pow(lr + trees - 1, 2) + 0.2 * Math.pow(trees - Math.log10(300), 2)
              + Math.pow((d(p, "maxDepth") - 6) / 4, 2) + 2 * Math.pow(d(p, "subsamplingRate") - 0.8, 2) + loss + feat;
        }, 0));
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

  /** One run's best-so-far regret after each evaluation, and how many proposals sat on a corner. */
  record Run(double[] regret, int corners, int proposals) {}

  /** Asks and tells one optimizer on one problem. */
  interface Asker {
    List<Map<String, Object>> ask(int n, List<Observation> history);
  }

  static Run run(Asker asker, Problem problem) {
    List<Observation> history = new ArrayList<>();
    double[] regret = new double[EVALS];
    double best = Double.POSITIVE_INFINITY;
    int corners = 0;
    while (history.size() < EVALS) {
      List<Map<String, Object>> batch = asker.ask(Math.min(BATCH, EVALS - history.size()), history);
      if (batch.isEmpty()) {
        break;
      }
      for (Map<String, Object> params : batch) {
        double v = problem.f().applyAsDouble(params);
        history.add(Observation.complete(params, v));
        corners += onCorner(problem.space(), params) ? 1 : 0;
        best = Math.min(best, v);
        regret[history.size() - 1] = best - problem.optimum();
      }
    }
    for (int i = history.size(); i < EVALS; i++) {
      regret[i] = best - problem.optimum();
    }
    return new Run(regret, corners, history.size());
  }

  /** Whether every active range parameter of {@code params} sits at a bound of its range. */
  static boolean onCorner(SearchSpace space, Map<String, Object> params) {
    int ranges = 0;
    for (Domain dom : space.domains()) {
      Object v = params.get(dom.name());
      if (v == null) {
        continue;
      }
      double x = ((Number) (dom instanceof FloatRange || dom instanceof IntRange ? v : 0)).doubleValue();
      if (dom instanceof FloatRange f) {
        ranges++;
        if (x != f.low() && x != f.high()) {
          return false;
        }
      } else if (dom instanceof IntRange r) {
        ranges++;
        if (x != r.low() && x != r.high()) {
          return false;
        }
      }
    }
    return ranges > 0;
  }

  /** {@code algorithm} is a registered name, optionally with options: {@code bayes@startup_trials=8+acq_candidates=512}. */
  static Asker tunelake(String algorithm, Problem problem, long seed) {
    Optimizer opt = create(algorithm, problem.space(), seed);
    return (n, history) -> Proposal.params(opt.ask(n, history, List.of()));
  }

  static Optimizer create(String algorithm, SearchSpace space, long seed) {
    return Optimizers.create(name(algorithm), new OptimizerConfig(space, Direction.MINIMIZE, seed, options(algorithm)));
  }

  /** The registered name of {@code algorithm} ({@code bayes} of {@code bayes@startup_trials=8}). */
  static String name(String algorithm) {
    return algorithm.split("@", 2)[0];
  }

  /** The options {@code algorithm} names after its {@code @}, each {@code key=value}, joined by {@code +}. */
  static Map<String, Object> options(String algorithm) {
    String[] parts = algorithm.split("@", 2);
    Map<String, Object> options = new LinkedHashMap<>();
    if (parts.length > 1) {
      for (String kv : parts[1].split("\\+")) {
        String[] pair = kv.split("=", 2);
        options.put(pair[0], pair[1].matches("-?\\d+") ? (Object) Integer.parseInt(pair[1])
            : pair[1].matches("true|false") ? (Object) Boolean.parseBoolean(pair[1]) : (Object) Double.parseDouble(pair[1]));
      }
    }
    return options;
  }

  /** Optuna's sampler {@code kind} in a Python process, over the line protocol of scripts/bench-optimizers-optuna.py. */
  static final class Optuna implements AutoCloseable {
    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;

    Optuna(String python) throws IOException {
      process = new ProcessBuilder(python, "scripts/bench-optimizers-optuna.py").redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    String call(String line) throws IOException {
      in.println(line);
      String answer = out.readLine();
      if (answer == null) {
        throw new IOException("the Optuna process ended after: " + line);
      }
      return answer;
    }

    Asker start(String kind, Problem problem, long seed) throws IOException {
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("sampler", kind);
      spec.put("seed", seed);
      spec.put("space", describe(problem.space()));
      Map<String, Object> conditions = new LinkedHashMap<>();
      for (Domain dom : problem.space().domains()) {
        problem.space().condition(dom.name()).ifPresent(c ->
            conditions.put(dom.name(), Map.of("parent", c.parent(), "values", c.values())));
      }
      spec.put("conditions", conditions);
      in.println("start " + JSON.writeValueAsString(spec));
      return (n, history) -> {
        try {
          in.println("ask " + n);
          List<Map<String, Object>> batch = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = JSON.readValue(out.readLine(), LinkedHashMap.class);
            batch.add(problem.space().canonical(p));
          }
          return batch;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
    }

    void tell(List<Double> values) throws IOException {
      call("tell " + JSON.writeValueAsString(values));
    }

    @Override
    public void close() {
      in.close();
      process.destroy();
    }

    static List<Map<String, Object>> describe(SearchSpace space) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (Domain dom : space.domains()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", dom.name());
        if (dom instanceof FloatRange f) {
          m.putAll(Map.of("kind", "float", "low", f.low(), "high", f.high(), "log", f.log(), "step", f.step()));
        } else if (dom instanceof IntRange r) {
          m.putAll(Map.of("kind", "int", "low", r.low(), "high", r.high(), "log", r.log(), "step", r.step()));
        } else if (dom instanceof Categorical c) {
          m.putAll(Map.of("kind", "categorical", "choices", c.choices()));
        } else if (dom instanceof Fixed x) {
          m.putAll(Map.of("kind", "fixed", "value", x.value()));
        }
        out.add(m);
      }
      return out;
    }

    /** A Python that imports optuna (and cmaes), or null; {@code TUNELAKE_PYTHON=none} leaves Optuna out. */
    static String python() {
      if ("none".equals(System.getenv("TUNELAKE_PYTHON"))) {
        return null;
      }
      for (String candidate : new String[] {System.getenv().getOrDefault("TUNELAKE_PYTHON", "python3"), "/usr/bin/python3"}) {
        try {
          Process p = new ProcessBuilder(candidate, "-c", "import optuna, cmaes").redirectErrorStream(true).start();
          p.getInputStream().readAllBytes();
          if (p.waitFor() == 0) {
            return candidate;
          }
        } catch (IOException | InterruptedException e) {
          // Not this one.
        }
      }
      return null;
    }
  }

  /** Runs Optuna's {@code kind} on {@code problem}: ask a batch, evaluate it here, tell it back. */
  static Run runOptuna(Optuna optuna, String kind, Problem problem, long seed) throws IOException {
    Asker asker = optuna.start(kind, problem, seed);
    return run((n, history) -> {
      try {
        if (!history.isEmpty()) {
          List<Double> last = new ArrayList<>();
          for (Observation o : history.subList(history.size() - Math.min(BATCH, history.size()), history.size())) {
            last.add(o.value());
          }
          optuna.tell(last);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return asker.ask(n, history);
    }, problem);
  }

  static double log10Regret(double r) {
    return Math.log10(Math.max(FLOOR, r));
  }

  static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  /** Log10 regret at {@code evals} of every run. */
  static double[] at(List<Run> runs, int evals) {
    return runs.stream().mapToDouble(r -> log10Regret(r.regret()[evals - 1])).toArray();
  }

  /** "better", "worse" or "same" for {@code a} against {@code b} (lower is better), two-sided p < 0.05. */
  static String verdict(double[] a, double[] b) {
    double p = new MannWhitneyUTest().mannWhitneyUTest(a, b);
    if (p >= 0.05) {
      return String.format("same (p=%.2f)", p);
    }
    return (median(a) < median(b) ? "better" : "worse") + String.format(" (p=%.3f)", p);
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
  }

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    List<String> algorithms = new ArrayList<>(args.length > 2 && !args[2].isBlank() ? List.of(args[2].split(","))
        : List.of("random", "sobol", "tpe", "cmaes", "bayes"));
    List<Problem> problems = problems();
    if (args.length > 3 && !args[3].isBlank()) {
      List<String> wanted = List.of(args[3].split(","));
      problems = problems.stream().filter(p -> wanted.contains(p.name())).toList();
    }
    String python = Optuna.python();
    List<String> all = new ArrayList<>(algorithms);
    if (python != null) {
      all.add("optuna_tpe");
      all.add("optuna_cmaes");
    }
    System.out.printf("optimizer benchmark: %d evaluations in batches of %d, %d seeds (1000..%d), %d threads; %s%n",
        EVALS, BATCH, seeds, 999 + seeds, threads, python == null
            ? "Optuna not found (apt-get install python3-optuna python3-cmaes, or set TUNELAKE_PYTHON), not compared"
            : "Optuna's TPE (constant liar) and CMA-ES in the same run, from " + python);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Map<String, List<Future<Run>>> futures = new LinkedHashMap<>();
    ThreadLocal<Optuna> optunas = new ThreadLocal<>();
    List<Optuna> started = java.util.Collections.synchronizedList(new ArrayList<>());
    for (Problem problem : problems) {
      for (String alg : all) {
        List<Future<Run>> runs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
          long seed = 1000 + s;
          runs.add(pool.submit(() -> {
            if (!alg.startsWith("optuna_")) {
              return run(tunelake(alg, problem, seed), problem);
            }
            if (optunas.get() == null) {
              Optuna o = new Optuna(python);
              optunas.set(o);
              started.add(o);
            }
            return runOptuna(optunas.get(), alg.substring("optuna_".length()), problem, seed);
          }));
        }
        futures.put(problem.name() + "/" + alg, runs);
      }
    }
    String anchor = python != null ? "optuna_tpe" : "random";
    System.out.printf("%n%-12s %-13s %9s %9s %9s  %-22s %8s%n", "problem", "algorithm", "log10@20", "log10@50",
        "log10@100", "vs " + anchor + " @100", "corners");
    Map<String, double[]> means = new LinkedHashMap<>();
    Map<String, String> verdicts = new LinkedHashMap<>();
    double worstCorner = 0;
    for (Problem problem : problems) {
      for (String alg : all) {
        List<Run> runs = new ArrayList<>();
        for (Future<Run> f : futures.get(problem.name() + "/" + alg)) {
          runs.add(f.get());
        }
        double[] m = new double[CHECKPOINTS.length];
        for (int c = 0; c < CHECKPOINTS.length; c++) {
          m[c] = mean(at(runs, CHECKPOINTS[c]));
        }
        means.put(problem.name() + "/" + alg, m);
        String v = "";
        if (!alg.equals(anchor) && futures.containsKey(problem.name() + "/" + anchor)) {
          List<Run> anchorRuns = new ArrayList<>();
          for (Future<Run> f : futures.get(problem.name() + "/" + anchor)) {
            anchorRuns.add(f.get());
          }
          v = verdict(at(runs, EVALS), at(anchorRuns, EVALS));
          verdicts.put(problem.name() + "/" + alg, v);
        }
        double corner = runs.stream().mapToInt(Run::corners).sum()
            / (double) Math.max(1, runs.stream().mapToInt(Run::proposals).sum());
        if (alg.startsWith("bayes")) {
          worstCorner = Math.max(worstCorner, corner);
        }
        System.out.printf("%-12s %-13s %9.2f %9.2f %9.2f  %-22s %7.1f%%%n", problem.name(), alg, m[0], m[1], m[2], v,
            100 * corner);
      }
    }
    pool.shutdown();
    started.forEach(Optuna::close);
    System.out.printf("%nmean log10 regret over the %d problems:%n", problems.size());
    Map<String, double[]> overall = new LinkedHashMap<>();
    for (String alg : all) {
      double[] o = new double[CHECKPOINTS.length];
      for (Problem problem : problems) {
        for (int c = 0; c < o.length; c++) {
          o[c] += means.get(problem.name() + "/" + alg)[c] / problems.size();
        }
      }
      overall.put(alg, o);
      System.out.printf("  %-13s N=20 %6.2f  N=50 %6.2f  N=100 %6.2f%n", alg, o[0], o[1], o[2]);
    }
    System.out.printf("%nask() latency, batch of %d after 1000 finished trials in a 6-dim space (hartmann6):%n", BATCH);
    Problem h6 = problems().get(1);
    List<Observation> history = new ArrayList<>();
    Random rng = new Random(99);
    for (int i = 0; i < 1000; i++) {
      Map<String, Object> p = h6.space().sample(rng);
      history.add(Observation.complete(p, h6.f().applyAsDouble(p)));
    }
    // The ask's CPU time beside its wall time: on a shared machine the wall time follows the load,
    // the thread's CPU time much less.
    ThreadMXBean clock = ManagementFactory.getThreadMXBean();
    StringBuilder latency = new StringBuilder("latency:");
    StringBuilder cpu = new StringBuilder();
    for (String alg : algorithms) {
      Optimizer opt = create(alg, h6.space(), 7);
      opt.ask(BATCH, history.subList(0, 50), List.of());
      long c0 = clock.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      opt.ask(BATCH, history, List.of());
      long t1 = System.nanoTime();
      long c1 = clock.getCurrentThreadCpuTime();
      System.out.printf("  %-8s %8.1f ms (%.1f ms of CPU)%n", alg, (t1 - t0) / 1e6, (c1 - c0) / 1e6);
      latency.append(String.format(" %s=%.1fms", alg, (t1 - t0) / 1e6));
      cpu.append(String.format(" %s_cpu=%.1fms", alg, (c1 - c0) / 1e6));
    }
    latency.append(cpu);
    System.out.println();
    System.out.println(latency);
    System.out.println(summary(overall, verdicts, problems.size(), worstCorner));
  }

  static String summary(Map<String, double[]> overall, Map<String, String> verdicts, int problems, double corner) {
    StringBuilder s = new StringBuilder("summary:");
    double[] bayes = overall.get("bayes");
    if (bayes == null) {
      bayes = overall.entrySet().stream().filter(e -> e.getKey().startsWith("bayes@")).map(Map.Entry::getValue)
          .findFirst().orElse(null);
    }
    if (bayes != null) {
      s.append(String.format(" bayes_n20=%.2f bayes_n50=%.2f bayes_n100=%.2f", bayes[0], bayes[1], bayes[2]));
    }
    if (overall.containsKey("tpe")) {
      s.append(String.format(" tpe_n100=%.2f", overall.get("tpe")[2]));
    }
    if (overall.containsKey("optuna_tpe")) {
      s.append(String.format(" optuna_tpe_n100=%.2f", overall.get("optuna_tpe")[2]));
      s.append(String.format(" bayes_vs_optuna_better=%d/%d", count(verdicts, "bayes", "better"), problems));
      s.append(String.format(" tpe_vs_optuna_worse=%d/%d", count(verdicts, "tpe", "worse"), problems));
    }
    s.append(String.format(" corner_share=%.3f", corner));
    return s.toString();
  }

  static int count(Map<String, String> verdicts, String alg, String word) {
    return (int) verdicts.entrySet().stream()
        .filter(e -> e.getKey().endsWith("/" + alg) && e.getValue().startsWith(word)).count();
  }
}
