package io.tunelake.bench;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.Observation;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Optimizers;
import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import io.tunelake.space.SearchSpace;
import io.tunelake.study.Budget;
import io.tunelake.study.Evaluation;
import io.tunelake.study.StudyOutcome;
import io.tunelake.study.StudyRunner;
import io.tunelake.study.Trial;
import io.tunelake.study.TrialStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Warm start through the real study loop ({@link StudyRunner} with {@code priors}, as
 * {@code search.warm_start} feeds it): a first study tunes one objective; a second, similar
 * study (its optimum moved a little) runs with and without the first study's trials as
 * priors, and we count the trials each needs to reach a target score. The objective is a
 * synthetic response surface shaped like a regularised model's validation score, so the
 * benchmark runs in seconds and without Spark; see docs/BENCHMARKS.md.
 * Usage: {@code WarmStartBenchmark [seeds=10] [algorithms=tpe,gp,random]}.
 */
public final class WarmStartBenchmark {
  static final SearchSpace SPACE = SearchSpace.of(
      new FloatRange("regParam", 1e-5, 1.0, true, 0),
      new FloatRange("elasticNetParam", 0.0, 1.0, false, 0),
      new IntRange("maxDepth", 1, 12, false, 1));
  static final int FIRST_TRIALS = 40;
  static final int BUDGET = 60;
  static final int BATCH = 4;
  static final double TARGET = 0.945;

  private WarmStartBenchmark() {}

  /** A score peaking at 0.95 at (regParam = center, elasticNetParam = en, maxDepth = depth). */
  static ToDoubleFunction<Map<String, Object>> surface(double center, double en, int depth) {
    return p -> {
      double r = Math.log10(((Number) p.get("regParam")).doubleValue()) - Math.log10(center);
      double e = ((Number) p.get("elasticNetParam")).doubleValue() - en;
      double d = ((Number) p.get("maxDepth")).intValue() - depth;
      return 0.95 - 0.02 * r * r - 0.05 * e * e - 0.002 * d * d;
    };
  }

  /** Every trial in memory: the benchmark's store. */
  static final class MemoryStore implements TrialStore {
    final List<Trial> trials = new ArrayList<>();

    @Override
    public List<Trial> history(String study) {
      return trials.stream().filter(t -> t.study().equals(study)).toList();
    }

    @Override
    public void commit(List<Trial> round) {
      trials.addAll(round);
    }
  }

  static StudyOutcome run(String study, String algorithm, long seed, ToDoubleFunction<Map<String, Object>> f,
      int trials, List<Observation> priors) {
    return StudyRunner.builder()
        .study(study)
        .metric("score", Direction.MAXIMIZE)
        .optimizer(Optimizers.create(algorithm, new OptimizerConfig(SPACE, Direction.MAXIMIZE, seed, Map.of())))
        .batchSize(BATCH)
        .budget(Budget.trials(trials))
        .objective((batch, history) -> batch.stream().map(s -> {
          double v = f.applyAsDouble(s.params());
          return Evaluation.complete(s.trialId(), List.of(v, v), Instant.EPOCH, Instant.EPOCH);
        }).toList())
        .store(new MemoryStore())
        .priors(priors)
        .build()
        .run();
  }

  /** Trials until the best score reaches the target; budget + 1 when it never does. */
  static int trialsToTarget(StudyOutcome o) {
    double best = Double.NEGATIVE_INFINITY;
    for (Trial t : o.trials()) {
      best = Math.max(best, t.value());
      if (best >= TARGET) {
        return t.trialId();
      }
    }
    return BUDGET + 1;
  }

  public static void main(String[] args) {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    String[] algorithms = (args.length > 1 ? args[1] : "tpe,gp,random").split(",");
    ToDoubleFunction<Map<String, Object>> first = surface(1e-3, 0.30, 6);
    ToDoubleFunction<Map<String, Object>> second = surface(2e-3, 0.40, 7);
    System.out.printf("target %.3f (optimum 0.950), first study %d trials, second study budget %d, rounds of %d%n",
        TARGET, FIRST_TRIALS, BUDGET, BATCH);
    System.out.println("| algorithm | cold: median trials to target | reached | warm: median trials to target | reached |");
    System.out.println("| --- | ---: | ---: | ---: | ---: |");
    for (String algorithm : algorithms) {
      List<Integer> cold = new ArrayList<>();
      List<Integer> warm = new ArrayList<>();
      for (int s = 0; s < seeds; s++) {
        long seed = 2000 + s;
        StudyOutcome before = run("v1", algorithm, seed, first, FIRST_TRIALS, List.of());
        List<Observation> priors = before.trials().stream().map(Trial::toObservation).toList();
        cold.add(trialsToTarget(run("v2", algorithm, seed + 100, second, BUDGET, List.of())));
        warm.add(trialsToTarget(run("v2", algorithm, seed + 100, second, BUDGET, priors)));
      }
      System.out.printf("| `%s` | %s | %d/%d | %s | %d/%d |%n", algorithm, median(cold), reached(cold), seeds,
          median(warm), reached(warm), seeds);
    }
  }

  private static String median(List<Integer> xs) {
    List<Integer> s = new ArrayList<>(xs);
    s.sort(null);
    int m = s.get(s.size() / 2);
    return m > BUDGET ? "> " + BUDGET : String.valueOf(m);
  }

  private static long reached(List<Integer> xs) {
    return xs.stream().filter(x -> x <= BUDGET).count();
  }
}
