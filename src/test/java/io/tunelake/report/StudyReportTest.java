package io.tunelake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.optimize.Direction;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.study.FoldStats;
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
}
