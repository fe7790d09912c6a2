package io.tunelake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.HeadlessChromium;
import io.tunelake.optimize.Direction;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.study.FoldStats;
import io.tunelake.study.Member;
import io.tunelake.study.ParetoGoals;
import io.tunelake.study.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyReportTest {

  /** A synthetic multi-fidelity study: a log-scaled float, an int, a categorical, pruned and failed trials. */
  static List<Trial> trials() {
    Random rnd = new Random(11);
    List<Trial> out = new ArrayList<>();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int id = 1; id <= 30; id++) {
      Map<String, Object> p = new LinkedHashMap<>();
      double reg = Math.pow(10, -4 + 4 * rnd.nextDouble());
      p.put("regParam", reg);
      p.put("maxDepth", 2 + rnd.nextInt(8));
      p.put("impurity", rnd.nextBoolean() ? "gini" : "entropy");
      p.put("maxIter", 15);
      double budget = id % 3 == 0 ? 27 : id % 3 == 1 ? 9 : 3;
      TrialStatus status = id % 7 == 0 ? TrialStatus.FAILED : id % 5 == 0 ? TrialStatus.PRUNED : TrialStatus.COMPLETE;
      List<Double> folds = new ArrayList<>();
      if (status != TrialStatus.FAILED) {
        double base = 0.9 - 0.04 * Math.abs(Math.log10(reg) + 2) + 0.002 * budget / 27;
        for (int f = 0; f < (status == TrialStatus.PRUNED ? 1 : 3); f++) {
          folds.add(base + 0.01 * rnd.nextGaussian());
        }
      }
      Instant start = t0.plusSeconds(10L * id);
      out.add(new Trial("synthetic", id, 1 + (id - 1) / 6, status, p, "random", "areaUnderROC", folds,
          FoldStats.of(folds), budget, 1500 + 100 * id, start, start.plusMillis(1500 + 100 * id),
          status == TrialStatus.FAILED ? "java.lang.IllegalArgumentException: maxDepth <= 30 <script>" : null));
    }
    return out;
  }

  static ReportContext context() {
    return new ReportContext("synthetic", "areaUnderROC", Direction.MAXIMIZE, "random_forest_classifier",
        "/data/adult.csv", 3, 30, 95_000L, 0.9012, 9728L, null, Set.of("regParam"));
  }

  /** How many drawn SVG elements (path, rect, line, circle, ellipse, polyline, polygon) each plot figure holds. */
  static Map<String, Integer> drawnPerPlot(String html) {
    Map<String, Integer> out = new LinkedHashMap<>();
    Matcher fig = Pattern.compile("<figure id=\"plot-([^\"]+)\"(.*?)</figure>", Pattern.DOTALL).matcher(html);
    Pattern shape = Pattern.compile("<(path|rect|line|circle|ellipse|polyline|polygon)\\b");
    while (fig.find()) {
      Matcher m = shape.matcher(fig.group(2));
      int n = 0;
      while (m.find()) {
        n++;
      }
      out.put(fig.group(1), n);
    }
    return out;
  }

  @Test
  void write_multiFidelityStudy_writesPageAndOneSvgPerPlot(@TempDir Path dir) throws Exception {
    Path page = StudyReport.write(trials(), context(), dir.resolve("out"));
    if (System.getProperty("report.keep") != null) {
      StudyReport.write(trials(), context(), Path.of(System.getProperty("report.keep")));
    }
    assertEquals(dir.resolve("out/index.html"), page);
    String html = Files.readString(page);
    Map<String, Integer> drawn = drawnPerPlot(html);
    assertEquals(Set.of("history", "importance", "slice-regParam", "slice-maxDepth", "slice-impurity", "parallel",
        "budget"), drawn.keySet());
    drawn.forEach((name, n) -> assertTrue(n > 10, name + " draws only " + n + " elements"));
    for (String name : drawn.keySet()) {
      String svg = Files.readString(dir.resolve("out/" + name + ".svg"));
      assertTrue(svg.startsWith("<?xml") && svg.contains("<svg"), name);
    }
    assertFalse(html.contains("<script"), "the page must not run scripts");
    assertFalse(html.contains("http://") && html.contains("src=\"http"), "the page must not fetch anything");
    assertTrue(html.contains("&lt;script&gt;"), "error messages are escaped");
    assertTrue(html.contains("Fixed: maxIter = 15."), html);
    assertTrue(html.contains("executor utilisation</th><td>n/a"), html);
    assertTrue(html.contains("(log scale)"), "regParam is drawn on a log axis");
  }

  @Test
  void build_leaderboard_listsCompleteTrialsBestFirst() {
    StudyReport.Content c = StudyReport.build(trials(), context());
    List<Trial> ranked = StudyReport.ranked(trials(), context());
    assertTrue(ranked.stream().allMatch(t -> t.status() == TrialStatus.COMPLETE));
    for (int i = 1; i < ranked.size(); i++) {
      assertTrue(ranked.get(i - 1).value() >= ranked.get(i).value());
    }
    String leaderboard = c.html().substring(c.html().indexOf("id=\"leaderboard\""), c.html().indexOf("id=\"comparison\""));
    assertTrue(leaderboard.indexOf("<td class=\"num\">" + ranked.get(0).trialId() + "</td>") > 0, leaderboard);
    assertTrue(c.html().contains("within noise of the best"), "three noisy folds leave most of the top within noise");
  }

  @Test
  void build_measuredUtilisation_isShownInPercent() {
    ReportContext c = context();
    ReportContext measured = new ReportContext(c.study(), c.metric(), c.direction(), c.estimator(), c.dataLocation(),
        c.folds(), c.trialBudget(), c.wallMs(), c.testMetric(), c.testRows(), 0.87, c.logScaled());
    String html = StudyReport.build(trials(), measured).html();
    assertTrue(html.contains("executor utilisation</th><td>87 %"), html);
  }

  @Test
  void build_singleBudget_hasNoBudgetPlot() {
    List<Trial> one = trials().stream().filter(t -> t.budget() == 27).toList();
    StudyReport.Content c = StudyReport.build(one, context());
    assertFalse(c.plots().stream().anyMatch(s -> s.name().equals("budget")));
  }

  @Test
  void build_noCompleteTrial_saysNaInsteadOfFailing() {
    List<Trial> failed = trials().stream().filter(t -> t.status() == TrialStatus.FAILED).toList();
    StudyReport.Content c = StudyReport.build(failed, ReportContext.of("f", "rmse", Direction.MINIMIZE));
    assertTrue(c.html().contains("No trial completed"), c.html());
    assertTrue(c.html().contains("n/a (no trial completed)"), c.html());
  }

  @Test
  void build_studyOverFamilies_slicesAndRanksTheFamilyAsACategorical() {
    String[] families = {"logistic_regression", "random_forest_classifier", "gbt"};
    Random rnd = new Random(4);
    List<Trial> trials = new ArrayList<>();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int id = 1; id <= 24; id++) {
      String family = families[id % 3];
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("estimator", family);
      p.put(family + (family.equals("logistic_regression") ? ".regParam" : ".maxDepth"),
          family.equals("logistic_regression") ? Math.pow(10, -4 * rnd.nextDouble()) : 2 + rnd.nextInt(6));
      double base = family.equals("gbt") ? 0.92 : family.equals("logistic_regression") ? 0.88 : 0.90;
      List<Double> folds = List.of(base + 0.002 * rnd.nextGaussian(), base + 0.002 * rnd.nextGaussian());
      trials.add(new Trial("families", id, 1 + (id - 1) / 6, TrialStatus.COMPLETE, p, "random", "areaUnderROC",
          folds, FoldStats.of(folds), 1, 1000, t0.plusSeconds(id), t0.plusSeconds(id + 1), null));
    }
    ReportContext ctx = new ReportContext("families", "areaUnderROC", Direction.MAXIMIZE,
        "choice[logistic_regression, random_forest_classifier, gbt_classifier]", "/data/adult.csv", 2, 24, 60_000L,
        0.91, 9728L, null, Set.of("logistic_regression.regParam"));
    StudyReport.Content c = StudyReport.build(trials, ctx);
    Map<String, String> svg = new LinkedHashMap<>();
    c.plots().forEach(s -> svg.put(s.name(), s.element()));
    String slice = svg.get("slice-estimator");
    assertTrue(slice != null, "a slice plot of the family: " + svg.keySet());
    for (String family : families) {
      assertTrue(slice.contains(">" + family + "<"), "the family axis names " + family);
    }
    assertTrue(svg.get("importance").contains(">estimator<"), "the family is ranked");
    assertTrue(svg.containsKey("slice-gbt.maxDepth") && svg.containsKey("slice-logistic_regression.regParam"),
        "each family's own parameters are sliced: " + svg.keySet());
  }

  /** accuracy (up), predict_ms_per_1k_rows (down), fit_seconds (constraint <= 10), model_size_bytes of each trial. */
  static final double[][] OBJECTIVES = {
      {0.80, 2.0, 5, 900}, {0.85, 3.0, 5, 800}, {0.90, 5.0, 5, 700}, {0.95, 9.0, 5, 600},
      {0.82, 4.0, 5, 300}, {0.99, 1.0, 50, 100}, {0.88, 6.0, 5, 650}, {0.93, 9.5, 5, 950},
      {0.70, 1.5, 5, 990}, {Double.NaN, 0, 0, 0}, {0.97, 2.0, 5, 500}, {0.91, 7.0, 5, 720}};

  /** A study of accuracy and scoring time (and model size): trial 6 breaks the fit-time bound, 10 failed, 11 was pruned. */
  static List<Trial> paretoTrials() {
    List<Trial> out = new ArrayList<>();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < OBJECTIVES.length; i++) {
      int id = i + 1;
      double[] o = OBJECTIVES[i];
      TrialStatus status = id == 10 ? TrialStatus.FAILED : id == 11 ? TrialStatus.PRUNED : TrialStatus.COMPLETE;
      List<Double> folds = status == TrialStatus.FAILED ? List.of() : List.of(o[0] - 0.01, o[0] + 0.01);
      Map<String, List<Double>> secondary = status == TrialStatus.FAILED ? Map.of() : Map.of(
          "predict_ms_per_1k_rows", List.of(o[1], o[1]), "fit_seconds", List.of(o[2], o[2]),
          "model_size_bytes", List.of(o[3], o[3]));
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("maxDepth", 2 + id % 6);
      p.put("stepSize", 0.01 * id);
      Instant start = t0.plusSeconds(10L * id);
      out.add(new Trial("pareto", id, 1 + (id - 1) / 4, status, p, "nsga2", "accuracy", folds, FoldStats.of(folds), 1,
          1000, start, start.plusSeconds(5), status == TrialStatus.FAILED ? "boom" : null, secondary, 0, null, null));
    }
    return out;
  }

  static ParetoGoals goals(int objectives) {
    List<ParetoGoals.Goal> g = new ArrayList<>(List.of(new ParetoGoals.Goal("accuracy", Direction.MAXIMIZE),
        new ParetoGoals.Goal("predict_ms_per_1k_rows", Direction.MINIMIZE),
        new ParetoGoals.Goal("model_size_bytes", Direction.MINIMIZE)));
    return new ParetoGoals(g.subList(0, objectives), List.of(new ParetoGoals.Bound("fit_seconds", null, 10.0)), null);
  }

  static ReportContext paretoContext(int objectives) {
    return ReportContext.of("pareto", "accuracy", Direction.MAXIMIZE).withGoals(goals(objectives));
  }

  /** The front by brute force over the fixture: complete, fit_seconds <= 10, no other such trial at least as good in every objective and better in one. */
  static Set<Integer> expectedFront(int objectives) {
    Set<Integer> out = new TreeSet<>();
    for (int a = 0; a < OBJECTIVES.length; a++) {
      if (!candidate(a)) {
        continue;
      }
      boolean dominated = false;
      for (int b = 0; b < OBJECTIVES.length && !dominated; b++) {
        if (b == a || !candidate(b)) {
          continue;
        }
        boolean noWorse = OBJECTIVES[b][0] >= OBJECTIVES[a][0] && OBJECTIVES[b][1] <= OBJECTIVES[a][1]
            && (objectives < 3 || OBJECTIVES[b][3] <= OBJECTIVES[a][3]);
        boolean better = OBJECTIVES[b][0] > OBJECTIVES[a][0] || OBJECTIVES[b][1] < OBJECTIVES[a][1]
            || (objectives >= 3 && OBJECTIVES[b][3] < OBJECTIVES[a][3]);
        dominated = noWorse && better;
      }
      if (!dominated) {
        out.add(a + 1);
      }
    }
    return out;
  }

  private static boolean candidate(int i) {
    return i + 1 != 10 && i + 1 != 11 && OBJECTIVES[i][2] <= 10;
  }

  /** The trial ids the plot labels "#id" (the front's points). */
  static Set<Integer> labelledIds(String svg) {
    Set<Integer> out = new TreeSet<>();
    Matcher m = Pattern.compile(">#(\\d+)<").matcher(svg);
    while (m.find()) {
      out.add(Integer.parseInt(m.group(1)));
    }
    return out;
  }

  static Map<String, String> svgs(StudyReport.Content c) {
    Map<String, String> out = new LinkedHashMap<>();
    c.plots().forEach(s -> out.put(s.name(), s.element()));
    return out;
  }

  @Test
  void build_twoObjectives_drawsTheFeasibleFrontAsStepsWithThePickAndTheHypervolume() {
    List<Trial> trials = paretoTrials();
    StudyReport.Content c = StudyReport.build(trials, paretoContext(2));
    Map<String, String> svg = svgs(c);
    assertTrue(svg.keySet().containsAll(List.of("pareto", "hypervolume")), svg.keySet().toString());
    assertFalse(svg.containsKey("pareto-parallel"), "two objectives need no parallel coordinates");
    assertFalse(svg.containsKey("population"));
    assertEquals(Set.of(1, 2, 3, 4, 9, 12), expectedFront(2), "the fixture's front, checked by hand");
    assertEquals(expectedFront(2), labelledIds(svg.get("pareto")), "the points labelled as the front");
    Trial picked = goals(2).best(trials).orElseThrow();
    assertTrue(svg.get("pareto").contains(">picked: trial " + picked.trialId() + "<"), "the pick is marked");
    assertTrue(c.html().contains(Html.escape(goals(2).why(picked, trials))), "the page gives the pick's reason");
    assertTrue(svg.get("pareto").contains(">infeasible<"), "infeasible trials have their own legend entry");
    assertTrue(c.html().contains("picked trial</th><td>trial " + picked.trialId()), "the summary names the pick");
    String front = c.html().substring(c.html().indexOf("id=\"front\""), c.html().indexOf("id=\"leaderboard\""));
    for (int id : expectedFront(2)) {
      assertTrue(front.contains("<tr><td class=\"num\">" + id + "</td>"), "trial " + id + " in the front table");
    }
    assertFalse(front.contains("<tr><td class=\"num\">6</td>"), "infeasible trial 6 dominates all but is not listed");
    drawnPerPlot(c.html()).forEach((name, n) -> assertTrue(n > 10, name + " draws only " + n + " elements"));
  }

  @Test
  void hypervolumeCurve_growsWithTheFrontAndEndsAtTheStudysHypervolume() {
    List<Trial> trials = paretoTrials();
    ParetoGoals g = goals(2);
    double[][] scale = g.scale(trials);
    List<Charts.Point> curve = StudyReport.hypervolumeCurve(StudyReport.completionOrder(trials), g, scale);
    assertEquals(trials.size(), curve.size());
    for (int i = 0; i < curve.size(); i++) {
      // The running front agrees with the front of every prefix taken whole.
      assertEquals(g.hypervolume(trials.subList(0, i + 1), scale), curve.get(i).y(), 1e-12, "after trial " + (i + 1));
      if (i > 0) {
        assertTrue(curve.get(i).y() >= curve.get(i - 1).y());
      }
    }
    assertEquals(g.hypervolume(trials, scale), curve.get(curve.size() - 1).y(), 1e-12);
    assertTrue(curve.get(curve.size() - 1).y() > curve.get(0).y(), "later trials widen the front");
  }

  @Test
  void build_threeObjectives_addsParallelCoordinatesOfTheObjectives() {
    StudyReport.Content c = StudyReport.build(paretoTrials(), paretoContext(3));
    Map<String, String> svg = svgs(c);
    assertTrue(svg.keySet().containsAll(List.of("pareto", "pareto-parallel", "hypervolume")), svg.keySet().toString());
    assertEquals(expectedFront(3), labelledIds(svg.get("pareto")));
    assertTrue(expectedFront(3).containsAll(expectedFront(2)) && expectedFront(3).size() > expectedFront(2).size(),
        "model size puts more trials on the front");
    assertTrue(svg.get("pareto-parallel").contains(">model_size_bytes<"), "an axis per objective");
    assertTrue(c.html().contains("1.1^3 = 1.3310"), "the caption gives the reference point's bound");
  }

  @Test
  void build_singleObjective_hasNoFrontNorPopulationPlots() {
    StudyReport.Content c = StudyReport.build(trials(), context());
    Map<String, String> svg = svgs(c);
    for (String name : List.of("pareto", "pareto-parallel", "hypervolume", "population")) {
      assertFalse(svg.containsKey(name), name + " in a single-objective report");
    }
    assertFalse(c.html().contains("id=\"front\"") || c.html().contains("id=\"population\""));
    assertTrue(c.html().contains("best trial</th><td>trial "), "the summary still names the best trial");
  }

  /**
   * Four members, three generations: member 0 copies member 3 after generation 0 (trial 5 from
   * trial 4) and member 1 copies member 2 after generation 1 (trial 10 from trial 7); the rest
   * continue their own weights.
   */
  static List<Trial> populationTrials() {
    double[] scores = {0.60, 0.70, 0.80, 0.90, 0.91, 0.72, 0.83, 0.92, 0.93, 0.84, 0.85, 0.94};
    int[] parents = {0, 0, 0, 0, 4, 2, 3, 4, 5, 7, 7, 8};
    List<Trial> out = new ArrayList<>();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < scores.length; i++) {
      int id = i + 1;
      int generation = i / 4;
      List<Double> folds = List.of(scores[i] - 0.01, scores[i] + 0.01);
      Member member = new Member(i % 4, generation, parents[i] == 0 ? null : parents[i]);
      String proposer = generation == 0 ? "pbt-start" : id == 5 || id == 10 ? "pbt-exploit" : "pbt-continue";
      out.add(new Trial("pbt", id, generation + 1, TrialStatus.COMPLETE, Map.of("stepSize", 0.01 * id), proposer,
          "accuracy", folds, FoldStats.of(folds), 1, 1000, t0.plusSeconds(id), t0.plusSeconds(id + 1), null,
          Map.of(), 0, null, member));
    }
    return out;
  }

  @Test
  void population_drawsEachMemberOverGenerationsAndEveryExploitFromParentToChild() {
    List<Trial> trials = populationTrials();
    StudyReport.Population p = StudyReport.population(trials);
    assertEquals(List.of(List.of(4, 5), List.of(7, 10)), p.jumps().stream().map(j -> List.of(j.parent(), j.child()))
        .toList());
    StudyReport.Jump first = p.jumps().get(0);
    assertEquals(new Charts.Point(0, trials.get(3).value()), first.from());
    assertEquals(new Charts.Point(1, trials.get(4).value()), first.to());
    assertEquals(4, p.members().size());
    List<Charts.Point> member0 = p.members().get(0);
    assertEquals(4, member0.size(), "three points and a break before the copy: " + member0);
    assertTrue(Double.isNaN(member0.get(1).y()), "member 0's line breaks where it took member 3's weights");
    assertEquals(3, p.members().get(3).size(), "member 3 trains its own weights throughout");

    StudyReport.Content c = StudyReport.build(trials, ReportContext.of("pbt", "accuracy", Direction.MAXIMIZE));
    Map<String, String> svg = svgs(c);
    assertTrue(svg.containsKey("population"), svg.keySet().toString());
    assertTrue(svg.get("population").contains(">generation<") && svg.get("population").contains(">member 3<"));
    assertTrue(svg.get("population").contains(">exploit: copied from parent<"));
    assertTrue(drawnPerPlot(c.html()).get("population") > 10);
    assertFalse(svg.containsKey("pareto"), "a study of one objective has no front");
    assertTrue(c.html().contains("2 exploits over 4 members"), c.html());
    assertEquals(null, StudyReport.population(trials()), "no member, no population");
  }

  @Test
  void write_paretoAndPopulationReports_renderInChromiumWithEveryPlotDrawn(@TempDir Path dir) throws Exception {
    HeadlessChromium chromium = HeadlessChromium.require();
    Path pareto = StudyReport.write(paretoTrials(), paretoContext(3), dir.resolve("pareto"));
    Path pbt = StudyReport.write(populationTrials(), ReportContext.of("pbt", "accuracy", Direction.MAXIMIZE),
        dir.resolve("pbt"));
    if (System.getProperty("report.keep") != null) {
      StudyReport.write(paretoTrials(), paretoContext(2), Path.of(System.getProperty("report.keep"), "pareto"));
      StudyReport.write(paretoTrials(), paretoContext(3), Path.of(System.getProperty("report.keep"), "pareto3"));
      StudyReport.write(populationTrials(), ReportContext.of("pbt", "accuracy", Direction.MAXIMIZE),
          Path.of(System.getProperty("report.keep"), "pbt"));
    }
    for (Path page : List.of(pareto, pbt)) {
      HeadlessChromium.Run dom = chromium.dumpDom(page);
      assertEquals(0, dom.code(), dom.stderr());
      Map<String, Integer> drawn = drawnPerPlot(dom.stdout());
      List<String> expected = page == pareto ? List.of("pareto", "pareto-parallel", "hypervolume")
          : List.of("population");
      assertTrue(drawn.keySet().containsAll(expected), page + ": " + drawn);
      drawn.forEach((name, n) -> assertTrue(n > 10, page + ": " + name + " draws only " + n + " elements"));
      assertFalse(dom.stderr().contains("Uncaught"), dom.stderr());
    }
    assertEquals(expectedFront(3), labelledIds(Files.readString(dir.resolve("pareto/pareto.svg"))));
  }
}
