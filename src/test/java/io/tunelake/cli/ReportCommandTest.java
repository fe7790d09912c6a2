package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.HeadlessChromium;
import io.tunelake.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tunes a tiny real study, writes its report with the CLI and renders the page in headless Chromium. */
@ExtendWith(SparkTestSession.class)
class ReportCommandTest {

  /** The drawn SVG elements in each plot figure of a (rendered) page, by plot name. */
  static Map<String, Integer> drawnPerPlot(String dom) {
    Map<String, Integer> out = new LinkedHashMap<>();
    Matcher fig = Pattern.compile("<figure id=\"plot-([^\"]+)\"(.*?)</figure>", Pattern.DOTALL).matcher(dom);
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
  void report_tinyStudy_rendersInChromiumWithEveryPlotDrawnAndNoScriptErrors() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.require();
    Path store = SparkTestSession.tempDir("store");
    Path spec = TuneCommandTest.spec(String.join("\n",
        "study: iris-report",
        "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
        "estimator: logistic_regression",
        "space:",
        "  regParam: {low: 0.001, high: 1.0, log: true}",
        "  maxIter: 15",
        "evaluation: {metric: accuracy, folds: 3}",
        "search: {algorithm: random, trials: 4, batch_size: 2, seed: 7}",
        ""));
    TuneCommandTest.Run tune = TuneCommandTest.cli("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, tune.code(), tune.err());
    Path auto = store.resolve("reports/iris-report/index.html");
    assertTrue(tune.out().contains("report: " + auto.toAbsolutePath()), tune.out());
    assertTrue(Files.exists(auto), "tune writes the report beside the tables");

    Path out = SparkTestSession.tempDir("report");
    TuneCommandTest.Run report = TuneCommandTest.cli("report", "iris-report", "--store", store.toString(),
        "--out", out.toString());
    assertEquals(0, report.code(), report.err());
    Path page = out.resolve("index.html");
    assertEquals("report: " + page.toAbsolutePath(), report.out().strip());
    String html = Files.readString(page);
    assertTrue(html.contains("4 complete, 0 pruned, 0 failed"), html);
    assertTrue(html.contains("held-out test accuracy</th><td>0."), "the refitted model's test score is shown");
    assertTrue(html.contains("regParam (log scale)"), "regParam is searched on a log scale and plotted on one");
    assertTrue(html.contains("Fixed: maxIter = 15."), html);

    HeadlessChromium.Run dom = chromium.dumpDom(page);
    assertEquals(0, dom.code(), dom.stderr());
    Map<String, Integer> drawn = drawnPerPlot(dom.stdout());
    Set<String> svgFiles;
    try (Stream<Path> files = Files.list(out)) {
      svgFiles = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".svg"))
          .map(n -> n.substring(0, n.length() - 4)).collect(Collectors.toSet());
    }
    assertEquals(svgFiles, drawn.keySet(), "every plot is on the page and in its own SVG file");
    assertTrue(drawn.keySet().containsAll(List.of("history", "slice-regParam", "parallel")), drawn.toString());
    drawn.forEach((name, n) -> assertTrue(n >= 10, "plot " + name + " draws only " + n + " SVG elements"));
    assertFalse(dom.stdout().contains("<script"), "the page has no scripts");
    assertFalse(dom.stderr().contains("Uncaught"), dom.stderr());
    assertFalse(dom.stderr().matches("(?s).*CONSOLE\\(\\d+\\)].*"), dom.stderr());

    Path png = Path.of(System.getProperty("tunelake.project.dir", "."), "target", "report.png");
    Files.deleteIfExists(png);
    HeadlessChromium.Run shot = chromium.screenshot(page, png, 1280, 4000);
    assertEquals(0, shot.code(), shot.stderr());
    assertTrue(Files.size(png) > 10_000, "the screenshot " + png + " has the page on it");
  }

  @Test
  void defaultDir_localStore_isReportsBesideTheTablesAndRemoteStore_isLocal() {
    assertEquals(Path.of("/tmp/wh/reports/s"), ReportCommand.defaultDir("/tmp/wh", "s"));
    assertEquals(Path.of("/tmp/wh/reports/s"), ReportCommand.defaultDir("file:///tmp/wh", "s"));
    assertEquals(Path.of("reports", "s"), ReportCommand.defaultDir("s3a://bucket/tunelake", "s"));
  }
}
