package io.tunelake.report;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.study.Format;
import io.tunelake.study.Member;
import io.tunelake.study.ParetoGoals;
import io.tunelake.study.StudyOutcome;
import io.tunelake.study.Trial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the report of a study: {@code index.html}, one self-contained page (inline styles, no
 * scripts, nothing fetched), and every plot beside it as an SVG file. See {@code docs/report.md}
 * for what each section shows.
 */
public final class StudyReport {
  /** How many trials the leaderboard lists. */
  static final int LEADERBOARD = 20;
  /** How many of the best trials are tested against the best one. */
  static final int COMPARED = 10;
  /** How many of the best trials the parallel coordinates draw. */
  static final int PARALLEL = 20;
  /** The significance level below which a difference from the best is called real. */
  static final double ALPHA = 0.05;

  private StudyReport() {}

  /**
   * Writes the report of {@code trials} to {@code outDir} (created if missing; files of an
   * earlier report are replaced) and returns the page's path.
   */
  public static Path write(List<Trial> trials, ReportContext context, Path outDir) {
    StudyReport.Content content = build(trials, context);
    try {
      Files.createDirectories(outDir);
      for (Charts.Svg svg : content.plots()) {
        Files.writeString(outDir.resolve(svg.name() + ".svg"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg.element() + "\n", StandardCharsets.UTF_8);
      }
      Path page = outDir.resolve("index.html");
      Files.writeString(page, content.html(), StandardCharsets.UTF_8);
      return page;
    } catch (IOException e) {
      throw new UncheckedIOException("writing the report of study '" + context.study() + "' to " + outDir
          + " failed: " + e.getMessage(), e);
    }
  }

  /** The page and its plots, before they are written. */
  record Content(String html, List<Charts.Svg> plots) {}

  static Content build(List<Trial> trials, ReportContext ctx) {
    List<Trial> ordered = completionOrder(trials);
    List<Trial> ranked = ranked(trials, ctx);
    List<String> params = paramNames(trials);
    List<Charts.Svg> plots = new ArrayList<>();
    Html page = new Html("TuneLake report: " + ctx.study());

    page.h1("Study “" + ctx.study() + "”");
    summary(page, trials, ranked, ctx);

    if (ctx.goals().isMulti()) {
      page.h2("front", "Pareto front");
      front(page, plots, trials, ordered, ctx);
    }

    page.h2("leaderboard", "Leaderboard");
    leaderboard(page, ranked, params, ctx);

    page.h2("comparison", "Top trials against the best");
    comparison(page, ranked, ctx);

    page.h2("history", "Optimization history");
    plots.add(history(ordered, ctx));
    page.figure(last(plots), "Every trial's mean cross-validated " + ctx.metric() + " in the order the trials finished; "
        + "the green line is the best complete trial so far. Orange triangles are pruned trials (scored on the folds "
        + "they reached), dashed red rules mark failed trials.");

    Population population = population(trials);
    if (population != null) {
      page.h2("population", "Population-based training");
      plots.add(Charts.render("population", "Population over generations",
          Charts.population(ctx.metric(), population.members(), population.jumpLines()), 900, 420));
      page.figure(last(plots), "Each member's mean " + ctx.metric() + " after each generation (step of training), "
          + "one colour per member. A member's line is broken where it stopped training its own weights: the "
          + "dashed grey line runs from the trial it copied (exploit) to the trial that continued from the copy "
          + "with perturbed or resampled parameters. " + population.jumps().size() + " exploit"
          + (population.jumps().size() == 1 ? "" : "s") + " over " + population.members().size() + " members.");
    }

    page.h2("importance", "Parameter importance");
    importance(page, plots, ranked, ctx);

    page.h2("slices", "Slice plots");
    slices(page, plots, trials, params, ctx);

    page.h2("parallel", "Parallel coordinates of the top trials");
    parallel(page, plots, ranked, params, ctx);

    Set<Double> budgets = new TreeSet<>();
    trials.stream().filter(t -> t.status() != TrialStatus.FAILED).forEach(t -> budgets.add(t.budget()));
    if (budgets.size() > 1) {
      page.h2("budget", "Score against budget");
      plots.add(budget(trials, budgets, ctx));
      page.figure(last(plots), "Multi-fidelity: each trial at the largest budget it reached, one column per rung. "
          + "Scores at small budgets are cheaper and noisier estimates of the full-budget score.");
    }

    List<Trial> failed = trials.stream().filter(t -> t.status() == TrialStatus.FAILED).toList();
    if (!failed.isEmpty()) {
      page.h2("failures", "Failed trials");
      List<List<String>> rows = new ArrayList<>();
      failed.stream().limit(20).forEach(t -> rows.add(List.of(String.valueOf(t.trialId()), t.params().toString(),
          t.error() == null ? "" : t.error())));
      page.table(List.of("trial", "params", "error"), rows, Set.of(0));
      if (failed.size() > 20) {
        page.p((failed.size() - 20) + " more; all are in the trials table (tunelake trials " + ctx.study() + ").");
      }
    }
    page.p("Written by TuneLake from the study's trials table; every plot is also an SVG file beside this page.");
    return new Content(page.toString(), plots);
  }

  private static void summary(Html page, List<Trial> trials, List<Trial> ranked, ReportContext ctx) {
    Map<TrialStatus, Integer> counts = StudyOutcome.countByStatus(trials);
    Optional<Trial> best = ranked.stream().findFirst();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("data", orNa(ctx.dataLocation())));
    rows.add(List.of("held-out test rows", ctx.testRows() == null ? "n/a" : String.valueOf(ctx.testRows())));
    rows.add(List.of("estimator", orNa(ctx.estimator())));
    rows.add(List.of("metric", ctx.metric() + " (" + (ctx.direction().name().equals("MAXIMIZE") ? "larger" : "smaller")
        + " is better)" + (ctx.folds() > 0 ? ", " + ctx.folds() + "-fold cross-validation" : "")));
    rows.add(List.of("budget used", trials.size() + (ctx.trialBudget() == null ? "" : " of " + ctx.trialBudget())
        + " trials" + budgetUnits(trials)));
    rows.add(List.of("trials by status", counts.get(TrialStatus.COMPLETE) + " complete, "
        + counts.get(TrialStatus.PRUNED) + " pruned, " + counts.get(TrialStatus.FAILED) + " failed"));
    rows.add(List.of("wall time", ctx.wallMs() == null ? "n/a" : duration(ctx.wallMs())));
    rows.add(List.of("executor utilisation", ctx.executorUtilisation() == null ? "n/a"
        : String.format("%.0f %%", 100 * ctx.executorUtilisation())));
    if (ctx.goals().isMulti()) {
      // With several objectives the study refits the trial its rule picks, not the best of the first metric.
      rows.add(List.of("picked trial", picked(trials, ctx).map(p -> ctx.goals().why(p, trials) + " " + p.params())
          .orElse("n/a (no complete feasible trial at full budget)")));
    } else {
      rows.add(List.of("best trial", best.map(b -> "trial " + b.trialId() + ": " + Format.score(b.stats())
          + " (cross-validated mean ± 95 % CI) " + b.params()).orElse("n/a (no trial completed)")));
    }
    rows.add(List.of("held-out test " + ctx.metric(), ctx.testMetric() == null ? "n/a"
        : Format.number(ctx.testMetric()) + " (the " + (ctx.goals().isMulti() ? "picked" : "best")
            + " setting refitted on all training rows)"));
    page.keyValues(rows);
  }

  /** The trial the study's rule picks and refits, as {@code tune} picks it; empty when none qualifies. */
  static Optional<Trial> picked(List<Trial> trials, ReportContext ctx) {
    return new StudyOutcome(ctx.study(), ctx.metric(), ctx.direction(), trials, 0, null, Duration.ZERO, ctx.goals())
        .best();
  }

  /** The complete trials with every objective measured, in trial order: the points the front is drawn among. */
  private static List<Trial> measured(List<Trial> trials, ParetoGoals goals) {
    return trials.stream().filter(t -> t.status() == TrialStatus.COMPLETE && goals.objectives().stream()
        .allMatch(g -> Double.isFinite(ParetoGoals.mean(t, g.metric())))).toList();
  }

  private static String better(Direction d) {
    return d == Direction.MAXIMIZE ? "larger is better" : "smaller is better";
  }

  private static void front(Html page, List<Charts.Svg> plots, List<Trial> trials, List<Trial> ordered,
      ReportContext ctx) {
    ParetoGoals goals = ctx.goals();
    List<ParetoGoals.Goal> objectives = goals.objectives();
    List<Trial> front = goals.front(trials);
    List<Trial> measured = measured(trials, goals);
    long infeasible = measured.stream().filter(t -> !goals.feasible(t)).count();
    List<String> named = objectives.stream().map(g -> g.metric() + " (" + better(g.direction()) + ")").toList();
    String constraints = goals.constraints().isEmpty() ? "none"
        : String.join(", ", goals.constraints().stream().map(Object::toString).toList());
    page.p("Objectives: " + String.join(", ", named) + ". Constraints: " + constraints + ". The front is the set of "
        + "complete, feasible, full-budget trials that no other such trial matches in every objective and beats in "
        + "one.");
    if (front.isEmpty()) {
      page.p("n/a: no complete trial keeps every constraint with every objective measured (" + measured.size()
          + " complete with every objective, " + infeasible + " of them infeasible).");
      return;
    }
    Optional<Trial> picked = picked(trials, ctx);
    page.p(front.size() + " of " + (measured.size() - infeasible) + " complete feasible trials are on the front; "
        + infeasible + " complete trial" + (infeasible == 1 ? "" : "s") + " broke a constraint. "
        + picked.map(p -> "Picked " + goals.why(p, trials) + ".").orElse("No trial is picked."));
    List<String> header = new ArrayList<>(List.of("trial"));
    objectives.forEach(g -> header.add(g.metric()));
    header.addAll(List.of("feasible", "picked"));
    List<List<String>> rows = new ArrayList<>();
    for (Trial t : front) {
      List<String> row = new ArrayList<>(List.of(String.valueOf(t.trialId())));
      objectives.forEach(g -> row.add(Format.number(ParetoGoals.mean(t, g.metric()))));
      row.add(goals.feasible(t) ? "yes" : "no");
      row.add(picked.filter(p -> p.trialId() == t.trialId()).isPresent() ? "picked" : "");
      rows.add(row);
    }
    Set<Integer> numeric = new LinkedHashSet<>();
    for (int i = 0; i <= objectives.size(); i++) {
      numeric.add(i);
    }
    page.table(header, rows, numeric);

    plots.add(Charts.render("pareto", "Pareto front", paretoScatter(measured, front, picked, goals), 900, 480));
    page.figure(last(plots), "Every complete trial on the first two objectives, " + objectives.get(0).metric()
        + " and " + objectives.get(1).metric() + ": the front's trials are green and labelled with their ids, "
        + (objectives.size() == 2 ? "joined by the staircase that bounds what they dominate; "
            : "which with " + objectives.size() + " objectives need not look non-dominated in this projection, "
                + "so they are not joined; ")
        + "blue dots are feasible trials off the front, grey crosses infeasible trials (they broke a constraint), "
        + "and the black ring is the picked trial.");
    if (objectives.size() >= 3) {
      plots.add(objectivesParallel(measured, front, goals));
      page.figure(last(plots), "Every complete trial across all " + objectives.size() + " objectives, one line "
          + "each: the front's trials green and thick, feasible trials off it light blue, infeasible ones grey. "
          + "Every axis spans the range the trials cover and is turned so that up is better; its ends are "
          + "labelled.");
    }
    double[][] scale = goals.scale(trials);
    List<Charts.Point> volume = hypervolumeCurve(ordered, goals, scale);
    double max = Math.pow(1.1, objectives.size());
    plots.add(Charts.render("hypervolume", "Hypervolume against trials", Charts.hypervolume(volume, max), 900, 340));
    page.figure(last(plots), "The hypervolume of the front of the trials finished so far, in the order they "
        + "finished: the volume the front dominates with every objective as a loss scaled to [0, 1] over the "
        + "complete feasible trials of the whole study (0 the best value one of them reached, 1 the worst) and the "
        + "reference point at 1.1 in every scaled objective, the rule of ParetoGoals.hypervolume; so the largest "
        + "possible is 1.1^" + objectives.size() + " = " + compact(max) + ". It rises when a trial widens the front.");
  }

  private static org.jfree.chart.JFreeChart paretoScatter(List<Trial> measured, List<Trial> front,
      Optional<Trial> picked, ParetoGoals goals) {
    String x = goals.objectives().get(0).metric();
    String y = goals.objectives().get(1).metric();
    Set<Integer> onFront = new java.util.HashSet<>();
    front.forEach(t -> onFront.add(t.trialId()));
    List<Charts.Point> dominated = new ArrayList<>();
    List<Charts.Point> infeasible = new ArrayList<>();
    for (Trial t : measured) {
      if (!onFront.contains(t.trialId())) {
        (goals.feasible(t) ? dominated : infeasible).add(new Charts.Point(ParetoGoals.mean(t, x),
            ParetoGoals.mean(t, y)));
      }
    }
    List<Charts.Labelled> points = front.stream().map(t -> new Charts.Labelled(ParetoGoals.mean(t, x),
        ParetoGoals.mean(t, y), "#" + t.trialId())).toList();
    List<Charts.Point> steps = new ArrayList<>();
    if (goals.objectives().size() == 2) {
      Direction dx = goals.objectives().get(0).direction();
      Direction dy = goals.objectives().get(1).direction();
      List<Charts.Labelled> sorted = new ArrayList<>(points);
      sorted.sort(Comparator.comparingDouble((Charts.Labelled p) -> dx.toLoss(p.x()))
          .thenComparingDouble(p -> dy.toLoss(p.y())));
      // Each step keeps the previous point's second objective until the next point's first:
      // the corner a trial at it would need to reach to join the front.
      for (int i = 0; i < sorted.size(); i++) {
        if (i > 0) {
          steps.add(new Charts.Point(sorted.get(i).x(), sorted.get(i - 1).y()));
        }
        steps.add(new Charts.Point(sorted.get(i).x(), sorted.get(i).y()));
      }
    }
    Charts.Labelled mark = picked.map(p -> new Charts.Labelled(ParetoGoals.mean(p, x), ParetoGoals.mean(p, y),
        "picked: trial " + p.trialId())).orElse(null);
    return Charts.pareto(x + " (" + better(goals.objectives().get(0).direction()) + ")",
        y + " (" + better(goals.objectives().get(1).direction()) + ")", dominated, infeasible, points, steps, mark);
  }

  private static Charts.Svg objectivesParallel(List<Trial> measured, List<Trial> front, ParetoGoals goals) {
    Set<Integer> onFront = new java.util.HashSet<>();
    front.forEach(t -> onFront.add(t.trialId()));
    List<String> axes = new ArrayList<>();
    List<String> worst = new ArrayList<>();
    List<String> best = new ArrayList<>();
    List<double[]> columns = new ArrayList<>();
    for (ParetoGoals.Goal g : goals.objectives()) {
      List<Object> values = measured.stream().map(t -> (Object) ParetoGoals.mean(t, g.metric())).toList();
      Axis a = Axis.of(values, false);
      boolean up = g.direction() == Direction.MAXIMIZE;
      axes.add(g.metric());
      String only = Format.number((Double) values.get(0));
      worst.add(a == null ? only : up ? a.lowLabel() : a.highLabel());
      best.add(a == null ? only : up ? a.highLabel() : a.lowLabel());
      columns.add(values.stream().mapToDouble(v -> a == null ? 0.5 : up ? a.position(v) : 1 - a.position(v))
          .toArray());
    }
    List<double[]> lines = new ArrayList<>();
    for (int i = 0; i < measured.size(); i++) {
      double[] line = new double[columns.size()];
      for (int a = 0; a < line.length; a++) {
        line[a] = columns.get(a)[i];
      }
      lines.add(line);
    }
    return Charts.render("pareto-parallel", "Objectives in parallel coordinates", Charts.objectivesParallel(axes,
        worst, best, lines, measured.stream().map(t -> onFront.contains(t.trialId())).toList(),
        measured.stream().map(goals::feasible).toList()), Math.max(700, 200 * axes.size()), 420);
  }

  /**
   * The hypervolume of the front after each trial of {@code ordered}. With one budget the front
   * after a trial is the front of the previous front and that trial (a trial dominated by an
   * earlier one is dominated by a member of its front), which keeps this linear in the trials;
   * with several budgets the front of every prefix is taken whole, since a trial at a new
   * budget changes which trials count.
   */
  static List<Charts.Point> hypervolumeCurve(List<Trial> ordered, ParetoGoals goals, double[][] scale) {
    boolean oneBudget = ordered.stream().filter(t -> t.status() == TrialStatus.COMPLETE).map(Trial::budget)
        .distinct().count() <= 1;
    List<Charts.Point> out = new ArrayList<>();
    List<Trial> front = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      List<Trial> in = new ArrayList<>(oneBudget ? front : ordered.subList(0, i));
      in.add(ordered.get(i));
      front = goals.front(in);
      out.add(new Charts.Point(i + 1, goals.hypervolume(front, scale)));
    }
    return out;
  }

  /** A population-based study's members as drawn: each member's points by generation and the exploits. */
  record Population(List<List<Charts.Point>> members, List<Jump> jumps) {
    /** The jumps as one series: each from its parent to its child, then a break. */
    List<Charts.Point> jumpLines() {
      List<Charts.Point> out = new ArrayList<>();
      for (Jump j : jumps) {
        out.add(j.from());
        out.add(j.to());
        out.add(new Charts.Point(j.to().x(), Double.NaN));
      }
      return out;
    }
  }

  /** An exploit: trial {@code child} started from the weights of trial {@code parent} of another member. */
  record Jump(int parent, int child, Charts.Point from, Charts.Point to) {}

  /**
   * The members of a population-based study, from the trials that record one: each member's
   * complete trials by generation (a NaN point breaks its line where a trial did not continue
   * from the member's previous one) and every exploit; null when no trial has a member.
   */
  static Population population(List<Trial> trials) {
    Map<Integer, Trial> byId = new HashMap<>();
    int members = 0;
    for (Trial t : trials) {
      if (t.member() != null && t.status() == TrialStatus.COMPLETE && !Double.isNaN(t.value())) {
        byId.put(t.trialId(), t);
        members = Math.max(members, t.member().id() + 1);
      }
    }
    if (byId.isEmpty()) {
      return null;
    }
    List<List<Charts.Point>> lines = new ArrayList<>();
    List<Jump> jumps = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      final int id = m;
      List<Trial> own = byId.values().stream().filter(t -> t.member().id() == id)
          .sorted(Comparator.comparingInt((Trial t) -> t.member().generation()).thenComparingInt(Trial::trialId))
          .toList();
      List<Charts.Point> line = new ArrayList<>();
      Trial previous = null;
      for (Trial t : own) {
        Member mt = t.member();
        Trial parent = mt.parentTrialId() == null ? null : byId.get(mt.parentTrialId());
        Charts.Point at = new Charts.Point(mt.generation(), t.value());
        if (previous != null && (parent == null || parent.trialId() != previous.trialId())) {
          line.add(new Charts.Point(mt.generation(), Double.NaN));
        }
        line.add(at);
        if (parent != null && parent.member().id() != id) {
          jumps.add(new Jump(parent.trialId(), t.trialId(), new Charts.Point(parent.member().generation(),
              parent.value()), at));
        }
        previous = t;
      }
      lines.add(line);
    }
    jumps.sort(Comparator.comparingInt(Jump::child));
    return new Population(lines, jumps);
  }

  private static void leaderboard(Html page, List<Trial> ranked, List<String> params, ReportContext ctx) {
    if (ranked.isEmpty()) {
      page.p("No trial completed, so there is nothing to rank.");
      return;
    }
    boolean multiBudget = ranked.stream().map(Trial::budget).distinct().count() > 1;
    List<String> header = new ArrayList<>(List.of("rank", "trial", "round", ctx.metric() + " (mean ± 95 % CI)",
        "CI"));
    if (multiBudget) {
      header.add("budget");
    }
    header.add("time");
    // Secondary metrics (evaluation.also): the fold mean of each, beside the objective.
    List<String> secondary = ranked.stream().flatMap(t -> t.secondary().keySet().stream()).distinct().sorted().toList();
    header.addAll(secondary);
    header.addAll(params);
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < Math.min(LEADERBOARD, ranked.size()); i++) {
      Trial t = ranked.get(i);
      List<String> row = new ArrayList<>(List.of(String.valueOf(i + 1), String.valueOf(t.trialId()),
          String.valueOf(t.round()), Format.score(t.stats()),
          Double.isNaN(t.stats().ciLow()) ? "n/a"
              : "[" + Format.number(t.stats().ciLow()) + ", " + Format.number(t.stats().ciHigh()) + "]"));
      if (multiBudget) {
        row.add(compact(t.budget()));
      }
      row.add(duration(t.durationMs()));
      secondary.forEach(m -> row.add(t.secondary().containsKey(m)
          ? Format.number(t.secondary().get(m).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN))
          : "–"));
      params.forEach(p -> row.add(t.params().containsKey(p) ? value(t.params().get(p)) : "–"));
      rows.add(row);
    }
    Set<Integer> numeric = new LinkedHashSet<>(List.of(0, 1, 2, 3, 4, 5));
    page.table(header, rows, numeric);
    page.p("The " + Math.min(LEADERBOARD, ranked.size()) + " best of " + ranked.size() + " complete trials. The "
        + "interval is Student's t over the fold scores; it ignores that the folds share training rows, so read "
        + "overlaps with the test below rather than by eye.");
  }

  private static void comparison(Html page, List<Trial> ranked, ReportContext ctx) {
    if (ranked.size() < 2) {
      page.p("Needs at least two complete trials.");
      return;
    }
    Trial best = ranked.get(0);
    int k = best.foldMetrics().size();
    if (k < 2) {
      page.p("n/a: the trials were scored on " + k + " fold, so there is no spread to test against.");
      return;
    }
    double ratio = CorrectedTTest.kFoldRatio(k);
    List<List<String>> rows = new ArrayList<>();
    for (int i = 1; i < Math.min(COMPARED + 1, ranked.size()); i++) {
      Trial t = ranked.get(i);
      if (t.foldMetrics().size() != k || t.budget() != best.budget()) {
        rows.add(List.of(String.valueOf(i + 1), String.valueOf(t.trialId()), Format.score(t.stats()), "n/a", "n/a",
            "n/a", "not comparable (other folds or budget)"));
        continue;
      }
      CorrectedTTest.Result r = CorrectedTTest.compare(t.foldMetrics(), best.foldMetrics(), ratio);
      String verdict = Double.isNaN(r.pValue()) ? "n/a"
          : r.pValue() < ALPHA ? "worse than the best (p < " + ALPHA + ")" : "within noise of the best";
      rows.add(List.of(String.valueOf(i + 1), String.valueOf(t.trialId()), Format.score(t.stats()),
          signed(r.meanDifference()), String.format("%.2f", r.t()), String.format("%.3f", r.pValue()), verdict));
    }
    page.p("Best: trial " + best.trialId() + ", " + ctx.metric() + " = " + Format.score(best.stats()) + ". Each "
        + "row tests the fold-by-fold difference to it with the corrected resampled t-test of Nadeau and Bengio "
        + "(2003): variance factor 1/k + 1/(k−1) with k = " + k + " folds, " + (k - 1) + " degrees of freedom, "
        + "two-sided.");
    page.table(List.of("rank", "trial", ctx.metric(), "Δ to best", "t", "p", "verdict"), rows, Set.of(0, 1, 2, 3, 4, 5));
  }

  private static Charts.Svg history(List<Trial> ordered, ReportContext ctx) {
    List<Charts.Point> complete = new ArrayList<>();
    List<Charts.Point> pruned = new ArrayList<>();
    List<Charts.Point> best = new ArrayList<>();
    List<Double> failed = new ArrayList<>();
    double bestSoFar = Double.NaN;
    for (int i = 0; i < ordered.size(); i++) {
      Trial t = ordered.get(i);
      double x = i + 1;
      if (t.status() == TrialStatus.FAILED || Double.isNaN(t.value())) {
        failed.add(x);
        continue;
      }
      if (t.status() == TrialStatus.PRUNED) {
        pruned.add(new Charts.Point(x, t.value()));
        continue;
      }
      complete.add(new Charts.Point(x, t.value()));
      if (ctx.direction().isBetter(t.value(), bestSoFar)) {
        bestSoFar = t.value();
      }
      best.add(new Charts.Point(x, bestSoFar));
    }
    return Charts.render("history", "Optimization history",
        Charts.history(ctx.metric(), complete, pruned, best, failed), 900, 380);
  }

  private static void importance(Html page, List<Charts.Svg> plots, List<Trial> ranked, ReportContext ctx) {
    List<Trial> used = ranked;
    double top = ranked.stream().mapToDouble(Trial::budget).max().orElse(0);
    List<Trial> atTop = ranked.stream().filter(t -> t.budget() == top).toList();
    if (atTop.size() >= ParameterImportance.MIN_TRIALS) {
      used = atTop;
    }
    List<ParameterImportance.Importance> imp = ParameterImportance.of(
        used.stream().map(Trial::params).toList(), used.stream().map(Trial::value).toList());
    if (imp.isEmpty()) {
      page.p("n/a: needs at least " + ParameterImportance.MIN_TRIALS + " complete trials whose scores differ and "
          + "a parameter that takes more than one value (this study has " + used.size() + " complete).");
      return;
    }
    plots.add(Charts.render("importance", "Parameter importance", Charts.importance(imp), 760,
        110 + 34 * imp.size()));
    page.figure(last(plots), "The share of the variance of the mean " + ctx.metric() + " over " + used.size()
        + " complete trials that each parameter explains on its own (first-order, fANOVA-style; interactions are "
        + "not counted, so the bars need not add up to 1). A parameter set in some trials only, such as a model "
        + "family's own, is measured among the trials that set it. Computed from the trial table without a surrogate model; "
        + "with few trials treat it as a rough ranking.");
  }

  private static void slices(Html page, List<Charts.Svg> plots, List<Trial> trials, List<String> params,
      ReportContext ctx) {
    List<String> fixed = new ArrayList<>();
    int before = plots.size();
    for (String p : params) {
      List<Trial> scored = trials.stream().filter(t -> t.status() != TrialStatus.FAILED && !Double.isNaN(t.value())
          && t.params().get(p) != null).toList();
      Set<String> distinct = new TreeSet<>();
      scored.forEach(t -> distinct.add(value(t.params().get(p))));
      if (distinct.size() < 2) {
        if (!distinct.isEmpty()) {
          fixed.add(p + " = " + distinct.iterator().next());
        }
        continue;
      }
      boolean numeric = scored.stream().allMatch(t -> t.params().get(p) instanceof Number);
      List<Charts.Point> complete = new ArrayList<>();
      List<Charts.Point> pruned = new ArrayList<>();
      org.jfree.chart.JFreeChart chart;
      if (numeric) {
        boolean log = ctx.logScaled().contains(p)
            && scored.stream().allMatch(t -> ((Number) t.params().get(p)).doubleValue() > 0);
        for (Trial t : scored) {
          Charts.Point pt = new Charts.Point(((Number) t.params().get(p)).doubleValue(), t.value());
          (t.status() == TrialStatus.PRUNED ? pruned : complete).add(pt);
        }
        boolean integral = scored.stream().allMatch(t -> t.params().get(p) instanceof Integer
            || t.params().get(p) instanceof Long);
        chart = Charts.numericSlice(p, log, integral, ctx.metric(), complete, pruned);
      } else {
        List<String> categories = new ArrayList<>(distinct);
        for (Trial t : scored) {
          double x = categories.indexOf(value(t.params().get(p))) + jitter(t.trialId());
          (t.status() == TrialStatus.PRUNED ? pruned : complete).add(new Charts.Point(x, t.value()));
        }
        chart = Charts.categoricalSlice(p, categories, ctx.metric(), complete, pruned);
      }
      plots.add(Charts.render("slice-" + fileName(p), "Slice: " + p, chart, 440, 320));
    }
    if (plots.size() == before) {
      page.p("n/a: no parameter took more than one value.");
    } else {
      page.grid(plots.subList(before, plots.size()), "Mean " + ctx.metric() + " against each searched parameter "
          + "(pruned trials as orange triangles). Log-scaled parameters are on a log axis; categorical ones are "
          + "strips, points spread sideways so they do not overlap.");
    }
    if (!fixed.isEmpty()) {
      page.p("Fixed: " + String.join(", ", fixed) + ".");
    }
  }

  private static void parallel(Html page, List<Charts.Svg> plots, List<Trial> ranked, List<String> params,
      ReportContext ctx) {
    List<Trial> top = ranked.subList(0, Math.min(PARALLEL, ranked.size()));
    List<String> axes = new ArrayList<>();
    List<String> low = new ArrayList<>();
    List<String> high = new ArrayList<>();
    List<double[]> columns = new ArrayList<>();
    for (String p : params) {
      Axis a = Axis.of(top.stream().map(t -> t.params().get(p)).toList(), ctx.logScaled().contains(p));
      if (a == null) {
        continue;
      }
      axes.add(p + (a.log() ? " (log)" : ""));
      low.add(a.lowLabel());
      high.add(a.highLabel());
      columns.add(top.stream().mapToDouble(t -> a.position(t.params().get(p))).toArray());
    }
    if (top.size() < 2 || axes.isEmpty()) {
      page.p("n/a: needs at least two complete trials that differ in a parameter.");
      return;
    }
    Axis score = Axis.of(top.stream().map(t -> (Object) t.value()).toList(), false);
    axes.add(ctx.metric());
    low.add(score == null ? Format.number(top.get(0).value()) : score.lowLabel());
    high.add(score == null ? Format.number(top.get(0).value()) : score.highLabel());
    columns.add(top.stream().mapToDouble(t -> score == null ? 0.5 : score.position(t.value())).toArray());
    List<double[]> lines = new ArrayList<>();
    for (int i = 0; i < top.size(); i++) {
      double[] line = new double[columns.size()];
      for (int a = 0; a < columns.size(); a++) {
        line[a] = columns.get(a)[i];
      }
      lines.add(line);
    }
    plots.add(Charts.render("parallel", "Parallel coordinates", Charts.parallel(axes, low, high, lines),
        Math.max(700, 170 * axes.size()), 420));
    page.figure(last(plots), "The " + top.size() + " best complete trials, one line each, the best in green and "
        + "the rest lighter the lower they rank. Every axis spans the range those trials cover (its ends are "
        + "labelled); categorical values are spread evenly in sorted order.");
  }

  private static Charts.Svg budget(List<Trial> trials, Set<Double> budgets, ReportContext ctx) {
    List<Charts.Point> complete = new ArrayList<>();
    List<Charts.Point> pruned = new ArrayList<>();
    for (Trial t : trials) {
      if (t.status() == TrialStatus.FAILED || Double.isNaN(t.value())) {
        continue;
      }
      (t.status() == TrialStatus.PRUNED ? pruned : complete).add(new Charts.Point(t.budget(), t.value()));
    }
    double min = budgets.stream().mapToDouble(Double::doubleValue).min().orElse(1);
    double max = budgets.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    boolean log = min > 0 && max / min >= 8;
    return Charts.render("budget", "Score against budget", Charts.budget(ctx.metric(), log, complete, pruned), 760,
        360);
  }

  /** Trials in the order they finished (trial id breaks ties and stands in for a missing time). */
  static List<Trial> completionOrder(List<Trial> trials) {
    List<Trial> out = new ArrayList<>(trials);
    out.sort(Comparator.comparing(Trial::finishedAt, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparingInt(Trial::trialId));
    return out;
  }

  /** Complete trials with a score, best first; ties go to the earlier trial. */
  static List<Trial> ranked(List<Trial> trials, ReportContext ctx) {
    List<Trial> out = new ArrayList<>(trials.stream()
        .filter(t -> t.status() == TrialStatus.COMPLETE && !Double.isNaN(t.value())).toList());
    out.sort(Comparator.comparingDouble((Trial t) -> ctx.direction().toLoss(t.value()))
        .thenComparingInt(Trial::trialId));
    return out;
  }

  static List<String> paramNames(List<Trial> trials) {
    Set<String> names = new LinkedHashSet<>();
    trials.forEach(t -> names.addAll(t.params().keySet()));
    return new ArrayList<>(names);
  }

  private static String budgetUnits(List<Trial> trials) {
    Set<Double> budgets = new TreeSet<>();
    trials.forEach(t -> budgets.add(t.budget()));
    if (budgets.size() < 2) {
      return "";
    }
    double sum = trials.stream().mapToDouble(Trial::budget).sum();
    return " (" + compact(sum) + " budget units over " + budgets.size() + " rungs)";
  }

  /** A spread in [-0.2, 0.2] that depends only on the trial, so the same report draws the same strips. */
  private static double jitter(int trialId) {
    double golden = (trialId * 0.6180339887498949) % 1.0;
    return (golden - 0.5) * 0.4;
  }

  static String value(Object v) {
    if (v instanceof Double || v instanceof Float) {
      return Format.number(((Number) v).doubleValue());
    }
    return String.valueOf(v);
  }

  private static String signed(double v) {
    return (v > 0 ? "+" : "") + Format.number(v);
  }

  static String duration(long ms) {
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 120_000) {
      return String.format("%.1f s", ms / 1000.0);
    }
    if (ms < 7_200_000) {
      return String.format("%.1f min", ms / 60_000.0);
    }
    return String.format("%.1f h", ms / 3_600_000.0);
  }

  /** A whole number without decimals ("27", not "27.0000"), anything else as {@link Format#number}. */
  static String compact(double b) {
    return b == Math.rint(b) && Math.abs(b) < 1e15 ? String.valueOf((long) b) : Format.number(b);
  }

  private static String orNa(String s) {
    return s == null || s.isBlank() ? "n/a" : s;
  }

  private static String fileName(String param) {
    return param.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  private static Charts.Svg last(List<Charts.Svg> plots) {
    return plots.get(plots.size() - 1);
  }
}
