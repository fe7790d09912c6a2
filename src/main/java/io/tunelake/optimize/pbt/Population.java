package io.tunelake.optimize.pbt;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.OptimizerConfig;
import io.tunelake.optimize.Seeds;
import io.tunelake.space.Domain;
import io.tunelake.space.FloatRange;
import io.tunelake.space.IntRange;
import io.tunelake.space.SearchSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * The decisions of population-based training (Jaderberg et al. 2017) between two steps of
 * training. After a step the members are ranked by score; each member of the bottom quantile
 * (and every member whose step failed) takes the weights and the assignment of a member of the
 * top quantile drawn at random (exploit), then changes the assignment (explore): each searched
 * parameter is redrawn from its range with the resample probability, else a number is
 * multiplied by 0.8 or 1.2 (kept in range; an integer moves by at least one) and a category is
 * kept. The other members continue from their own weights with their own assignment.
 * Parameters that fix the model's shape ({@code frozen}, such as a perceptron's hidden widths)
 * are never explored: the copied weights must fit them.
 *
 * <p>Deterministic: the same seed, generation and last step give the same decisions, so a study
 * resumed after a kill continues exactly as it would have.
 */
public final class Population {
  /** The proposer of a generation-0 member, drawn at random. */
  public static final String START = "pbt-start";
  /** The proposer of a member that continues from its own weights. */
  public static final String CONTINUE = "pbt-continue";
  /** The proposer of a member that copied a better member's weights and perturbed its assignment. */
  public static final String EXPLOIT = "pbt-exploit";

  private final SearchSpace space;
  private final Direction direction;
  private final Settings settings;
  private final long seed;
  private final Set<String> frozen;

  /** The {@code search.options} of {@code pbt}. */
  public record Settings(int size, int stepIterations, double quantile, double resampleProbability) {
    public Settings {
      if (size < 2 || stepIterations < 1 || !(quantile > 0 && quantile <= 0.5)
          || !(resampleProbability >= 0 && resampleProbability <= 1)) {
        throw new IllegalArgumentException("a population needs size >= 2, step_iterations >= 1, quantile in (0, 0.5]"
            + " and resample_probability in [0, 1], but got " + size + ", " + stepIterations + ", " + quantile + ", "
            + resampleProbability);
      }
    }

    /** The settings in {@code config}'s options, defaults for those it leaves out. */
    public static Settings of(OptimizerConfig config) {
      return new Settings(config.intValue(PbtAlgorithm.POPULATION), config.intValue(PbtAlgorithm.STEP_ITERATIONS),
          config.realValue(PbtAlgorithm.QUANTILE), config.realValue(PbtAlgorithm.RESAMPLE_PROBABILITY));
    }

    /** The settings in a spec's {@code search.options} (checked against the declared options first). */
    public static Settings of(Map<String, Object> options) {
      return of(new OptimizerConfig(SearchSpace.of(), Direction.MAXIMIZE, 0, options));
    }

    /** How many members the bottom (and top) quantile holds: at least one. */
    int cut() {
      return Math.max(1, (int) Math.floor(size * quantile));
    }
  }

  /** One member's last step: its trial, its assignment and its score (NaN when the step failed). */
  public record Step(int member, int trialId, Map<String, Object> params, double value) {
    public Step {
      // The order the member trained with: a continued member's params are written as they were,
      // so a resumed study's rows equal an uninterrupted one's (Map.copyOf's order varies by JVM).
      params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    boolean failed() {
      return Double.isNaN(value);
    }
  }

  /**
   * What member {@code member} trains next: the assignment, the trial whose weights it starts
   * from ({@code parentTrialId}; null starts from scratch) and why ({@link #START},
   * {@link #CONTINUE}, {@link #EXPLOIT}).
   */
  public record Next(int member, Map<String, Object> params, Integer parentTrialId, String proposer) {
    public Next {
      params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
      Objects.requireNonNull(proposer, "proposer");
    }
  }

  /** A population over {@code space}; {@code frozen} names the parameters explore never changes. */
  public Population(SearchSpace space, Direction direction, Settings settings, long seed, Set<String> frozen) {
    this.space = Objects.requireNonNull(space, "space");
    this.direction = Objects.requireNonNull(direction, "direction");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.seed = seed;
    this.frozen = Set.copyOf(frozen);
  }

  public Settings settings() {
    return settings;
  }

  /** Generation 0: every member drawn at random, trained from scratch. */
  public List<Next> first() {
    Random rng = rng(0);
    List<Next> out = new ArrayList<>();
    for (int m = 0; m < settings.size(); m++) {
      out.add(new Next(m, space.sample(rng), null, START));
    }
    return out;
  }

  /**
   * Generation {@code generation} (>= 1) after {@code last}, the step every member just took:
   * exploit and explore for the bottom quantile and the failed members, continue for the rest.
   * Returned in member order.
   */
  public List<Next> next(List<Step> last, int generation) {
    if (generation < 1) {
      throw new IllegalArgumentException("generation 0 is drawn by first(), but got generation " + generation);
    }
    Random rng = rng(generation);
    Comparator<Step> better = Comparator.comparing(Step::failed)
        .thenComparing((a, b) -> direction.isBetter(a.value(), b.value()) ? -1
            : direction.isBetter(b.value(), a.value()) ? 1 : 0)
        .thenComparingInt(Step::member);
    List<Step> ranked = last.stream().sorted(better).toList();
    long complete = ranked.stream().filter(s -> !s.failed()).count();
    int cut = settings.cut();
    // Never copy from a failed member, and never leave a failed one to continue from nothing.
    int top = (int) Math.min(cut, complete);
    int bottomFrom = (int) Math.min(ranked.size() - cut, complete);
    Map<Integer, Next> byMember = new java.util.TreeMap<>();
    for (int i = 0; i < ranked.size(); i++) {
      Step s = ranked.get(i);
      if (i < bottomFrom) {
        byMember.put(s.member(), new Next(s.member(), s.params(), s.trialId(), CONTINUE));
      } else if (top == 0) {
        byMember.put(s.member(), new Next(s.member(), space.sample(rng), null, START));
      } else {
        Step donor = ranked.get(rng.nextInt(top));
        byMember.put(s.member(), new Next(s.member(), explore(donor.params(), rng), donor.trialId(), EXPLOIT));
      }
    }
    return List.copyOf(byMember.values());
  }

  /** {@code params} perturbed: each searched, unfrozen parameter redrawn or multiplied by 0.8 or 1.2. */
  Map<String, Object> explore(Map<String, Object> params, Random rng) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Domain d : space.domains()) {
      if (!space.isActive(d.name(), out)) {
        continue;
      }
      Object v = params.get(d.name());
      boolean redraw = rng.nextDouble() < settings.resampleProbability();
      double u = rng.nextDouble();
      boolean up = rng.nextBoolean();
      if (v != null && (!d.isSearched() || frozen.contains(d.name()))) {
        out.put(d.name(), v);
      } else if (v == null || redraw) {
        out.put(d.name(), d.fromUnit(u));
      } else {
        out.put(d.name(), perturb(d, v, up ? 1.2 : 0.8));
      }
    }
    return space.canonical(out);
  }

  private static Object perturb(Domain d, Object v, double factor) {
    if (d instanceof FloatRange f) {
      double x = Math.max(f.low(), Math.min(f.high(), ((Number) v).doubleValue() * factor));
      return f.step() > 0 ? f.fromUnit(f.toUnit(x)) : x;
    }
    if (d instanceof IntRange r) {
      int i = ((Number) v).intValue();
      int x = (int) Math.round(i * factor);
      if (x == i) {
        x = factor > 1 ? i + r.step() : i - r.step();
      }
      x = r.low() + Math.round((float) (x - r.low()) / r.step()) * r.step();
      return Math.max(r.low(), Math.min(r.high() - (r.high() - r.low()) % r.step(), x));
    }
    return v;
  }

  private Random rng(int generation) {
    return Seeds.forRound(seed, generation, settings.size());
  }
}
