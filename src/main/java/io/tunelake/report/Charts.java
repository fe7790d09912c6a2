package io.tunelake.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.io.StringWriter;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.apache.batik.svggen.SVGGraphics2DIOException;
import org.apache.batik.svggen.SVGIDGenerator;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The report's charts: JFreeChart lays them out and draws them on Batik's SVG generator, a
 * {@code Graphics2D} that records the drawing as SVG. Every chart is white, with the same colours
 * for the same trial states on every plot.
 */
final class Charts {
  static final Color COMPLETE = new Color(0x1f77b4);
  static final Color PRUNED = new Color(0xff7f0e);
  static final Color FAILED = new Color(0xd62728);
  static final Color BEST = new Color(0x2ca02c);
  static final Color INFEASIBLE = new Color(0x7f7f7f);
  static final Color PICKED = new Color(0x111111);
  /** Colours of a population's members, in turn (Tableau 10 without the trial states' own). */
  private static final Color[] MEMBERS = {new Color(0x1f77b4), new Color(0x9467bd), new Color(0x8c564b),
      new Color(0xe377c2), new Color(0xbcbd22), new Color(0x17becf), new Color(0xff7f0e), new Color(0x2ca02c)};
  private static final Color GRID = new Color(0xdddddd);
  private static final String SVG_NS = "http://www.w3.org/2000/svg";
  private static final Font TITLE = new Font("SansSerif", Font.BOLD, 14);

  private Charts() {}

  /** A rendered chart: its file name (without .svg), caption and the {@code <svg>} element. */
  record Svg(String name, String title, String element) {}

  /** One point of a scatter series. */
  record Point(double x, double y) {}

  /** A point that carries a label drawn beside it. */
  record Labelled(double x, double y, String label) {}

  /** Renders {@code chart} as an {@code <svg>} element whose ids start with {@code name}, so many fit in one page. */
  static Svg render(String name, String title, JFreeChart chart, int width, int height) {
    try {
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().getDOMImplementation()
          .createDocument(SVG_NS, "svg", null);
      SVGGeneratorContext context = SVGGeneratorContext.createDefault(doc);
      context.setIDGenerator(new SVGIDGenerator() {
        @Override
        public String generateID(String prefix) {
          // Clip paths are referenced by id; unique ids keep the plots of one page apart.
          return super.generateID(name + "-" + prefix);
        }
      });
      context.setComment(null);
      context.setPrecision(3);
      SVGGraphics2D g = new SVGGraphics2D(context, false);
      g.setSVGCanvasSize(new Dimension(width, height));
      chart.draw(g, new Rectangle(0, 0, width, height));
      Element root = g.getRoot();
      root.setAttribute("viewBox", "0 0 " + width + " " + height);
      root.setAttribute("id", name + "-svg");
      StringWriter out = new StringWriter();
      g.stream(root, out, true, false);
      g.dispose();
      // The generator writes a whole document; the page inlines the element, so drop the prolog and DTD.
      String svg = out.toString();
      svg = svg.substring(svg.indexOf("<svg")).strip()
          .replace("id=\"genericDefs\"", "id=\"" + name + "-genericDefs\"")
          .replace("font-family:'Dialog';", "font-family:sans-serif;");
      return new Svg(name, title, svg);
    } catch (ParserConfigurationException | SVGGraphics2DIOException e) {
      throw new IllegalStateException("drawing the " + name + " plot as SVG failed: " + e.getMessage(), e);
    }
  }

  /** Score by completion order: complete and pruned trials as points, best so far as a line, failed trials as red rules. */
  static JFreeChart history(String metric, List<Point> complete, List<Point> pruned, List<Point> bestSoFar,
      List<Double> failedAt) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(series("complete", complete));
    data.addSeries(series("pruned", pruned));
    data.addSeries(series("best so far", bestSoFar));
    NumberAxis x = new NumberAxis("trial, in order of completion");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYPlot plot = xyPlot(data, x, scoreAxis(metric));
    XYLineAndShapeRenderer r = points(COMPLETE, PRUNED);
    r.setSeriesLinesVisible(2, true);
    r.setSeriesShapesVisible(2, false);
    r.setSeriesPaint(2, BEST);
    r.setSeriesStroke(2, new BasicStroke(2f));
    plot.setRenderer(r);
    for (double at : failedAt) {
      ValueMarker m = new ValueMarker(at, FAILED, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
          1f, new float[] {4f, 3f}, 0f));
      plot.addDomainMarker(m);
    }
    return chart(null, plot, true);
  }

  /** Score against one numeric parameter, on a log axis when it was searched on a log scale. */
  static JFreeChart numericSlice(String parameter, boolean log, boolean integral, String metric,
      List<Point> complete, List<Point> pruned) {
    ValueAxis x;
    if (log) {
      LogAxis a = new LogAxis(parameter + " (log scale)");
      a.setBase(10);
      a.setSmallestValue(1e-300);
      // Ticks at whole powers of ten, minor ticks between: fractional exponents read badly.
      a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      a.setMinorTickMarksVisible(true);
      a.setMinorTickCount(9);
      a.setLowerMargin(0.08);
      a.setUpperMargin(0.08);
      x = a;
    } else {
      NumberAxis a = new NumberAxis(parameter);
      a.setAutoRangeIncludesZero(false);
      if (integral) {
        a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      }
      x = a;
    }
    return chart(null, xyPlot(scatter(complete, pruned), x, scoreAxis(metric)), false);
  }

  /** Score against one categorical parameter: one strip per value, points spread within it. */
  static JFreeChart categoricalSlice(String parameter, List<String> categories, String metric,
      List<Point> complete, List<Point> pruned) {
    SymbolAxis x = new SymbolAxis(parameter, categories.toArray(new String[0]));
    x.setRange(-0.5, categories.size() - 0.5);
    x.setGridBandsVisible(false);
    return chart(null, xyPlot(scatter(complete, pruned), x, scoreAxis(metric)), false);
  }

  /**
   * Parallel coordinates: one line per trial across the axes, each axis scaled to its observed
   * range (labelled at its ends), the best trial drawn last, thickest and darkest.
   */
  static JFreeChart parallel(List<String> axes, List<String> low, List<String> high, List<double[]> lines) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (int i = lines.size() - 1; i >= 0; i--) {
      XYSeries s = new XYSeries("rank " + (i + 1), false, true);
      double[] line = lines.get(i);
      for (int a = 0; a < line.length; a++) {
        s.add(a, Double.isNaN(line[a]) ? null : line[a]);
      }
      data.addSeries(s);
    }
    XYPlot plot = parallelPlot(data, axes, "position in the observed range");
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    int n = lines.size();
    for (int s = 0; s < n; s++) {
      int rank = n - 1 - s;
      float shade = n == 1 ? 0f : (float) rank / (n - 1);
      r.setSeriesPaint(s, rank == 0 ? BEST : blend(COMPLETE, new Color(0xc6dbef), shade));
      r.setSeriesStroke(s, new BasicStroke(rank == 0 ? 3f : 1.2f));
      r.setSeriesShape(s, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
    }
    plot.setRenderer(r);
    endLabels(plot, low, high);
    return chart(null, plot, false);
  }

  /** Labels each axis {@code a} of a parallel-coordinates plot with its value at the bottom and the top. */
  private static void endLabels(XYPlot plot, List<String> low, List<String> high) {
    Font small = new Font("SansSerif", Font.PLAIN, 10);
    for (int a = 0; a < low.size(); a++) {
      XYTextAnnotation lo = new XYTextAnnotation(low.get(a), a, -0.06);
      lo.setFont(small);
      lo.setTextAnchor(TextAnchor.TOP_CENTER);
      plot.addAnnotation(lo);
      XYTextAnnotation hi = new XYTextAnnotation(high.get(a), a, 1.06);
      hi.setFont(small);
      hi.setTextAnchor(TextAnchor.BOTTOM_CENTER);
      plot.addAnnotation(hi);
    }
  }

  /**
   * Two objectives against each other: feasible trials off the front as blue dots, infeasible
   * ones as grey crosses, the front as green dots labelled with their trial ids and joined by
   * {@code steps} (the staircase bounding what the front dominates; empty when it is not one,
   * as for the projection of a front of three objectives), and the picked trial ringed in black.
   */
  static JFreeChart pareto(String xLabel, String yLabel, List<Point> dominated, List<Point> infeasible,
      List<Labelled> front, List<Point> steps, Labelled picked) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(series("feasible, dominated", dominated));
    data.addSeries(series("infeasible", infeasible));
    data.addSeries(series("front outline", steps));
    data.addSeries(series("Pareto front", front.stream().map(l -> new Point(l.x(), l.y())).toList()));
    data.addSeries(series("picked", picked == null ? List.of() : List.of(new Point(picked.x(), picked.y()))));
    NumberAxis x = new NumberAxis(xLabel);
    x.setAutoRangeIncludesZero(false);
    XYPlot plot = xyPlot(data, x, scoreAxis(yLabel));
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    r.setSeriesPaint(0, COMPLETE);
    r.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
    r.setSeriesPaint(1, INFEASIBLE);
    r.setSeriesShape(1, cross());
    r.setSeriesPaint(2, BEST);
    r.setSeriesLinesVisible(2, true);
    r.setSeriesShapesVisible(2, false);
    r.setSeriesStroke(2, new BasicStroke(1.5f));
    r.setSeriesVisibleInLegend(2, false);
    r.setSeriesPaint(3, BEST);
    r.setSeriesShape(3, new Ellipse2D.Double(-4.5, -4.5, 9, 9));
    r.setSeriesPaint(4, PICKED);
    r.setSeriesShape(4, new Ellipse2D.Double(-8, -8, 16, 16));
    r.setSeriesShapesFilled(4, false);
    r.setSeriesStroke(4, new BasicStroke(2f));
    r.setSeriesOutlineStroke(4, new BasicStroke(2f));
    r.setUseOutlinePaint(false);
    plot.setRenderer(r);
    Font small = new Font("SansSerif", Font.PLAIN, 10);
    for (Labelled l : front) {
      XYTextAnnotation a = new XYTextAnnotation(l.label(), l.x(), l.y());
      a.setFont(small);
      a.setPaint(BEST.darker());
      a.setTextAnchor(TextAnchor.BOTTOM_LEFT);
      plot.addAnnotation(a);
    }
    if (picked != null) {
      XYTextAnnotation a = new XYTextAnnotation(picked.label(), picked.x(), picked.y());
      a.setFont(new Font("SansSerif", Font.BOLD, 11));
      a.setPaint(PICKED);
      a.setTextAnchor(TextAnchor.TOP_RIGHT);
      plot.addAnnotation(a);
    }
    return chart(null, plot, true);
  }

  /**
   * Parallel coordinates of several objectives: one line per trial, every axis oriented so that
   * up is better; the front's trials green and thick, drawn last, feasible trials off it light
   * blue, infeasible ones grey.
   */
  static JFreeChart objectivesParallel(List<String> axes, List<String> worst, List<String> best,
      List<double[]> lines, List<Boolean> onFront, List<Boolean> feasible) {
    XYSeriesCollection data = new XYSeriesCollection();
    List<Integer> order = new java.util.ArrayList<>();
    for (int pass = 0; pass < 3; pass++) {
      for (int i = 0; i < lines.size(); i++) {
        int kind = onFront.get(i) ? 2 : feasible.get(i) ? 1 : 0;
        if (kind == pass) {
          order.add(i);
        }
      }
    }
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < order.size(); s++) {
      int i = order.get(s);
      XYSeries series = new XYSeries("line " + s, false, true);
      double[] line = lines.get(i);
      for (int a = 0; a < line.length; a++) {
        series.add(a, Double.isNaN(line[a]) ? null : line[a]);
      }
      data.addSeries(series);
      boolean front = onFront.get(i);
      r.setSeriesPaint(s, front ? BEST : feasible.get(i) ? new Color(0x9ecae1) : new Color(0xbbbbbb));
      r.setSeriesStroke(s, new BasicStroke(front ? 2.5f : 1f));
      r.setSeriesShape(s, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
    }
    XYPlot plot = parallelPlot(data, axes, "worse ← position in the observed range → better");
    plot.setRenderer(r);
    endLabels(plot, worst, best);
    return chart(null, plot, false);
  }

  /** The hypervolume of the front after each trial, in order of completion, as a step line. */
  static JFreeChart hypervolume(List<Point> points, double max) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(series("hypervolume", points));
    NumberAxis x = new NumberAxis("trial, in order of completion");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis y = new NumberAxis("hypervolume (largest possible " + StudyReport.compact(max) + ")");
    y.setAutoRangeIncludesZero(true);
    XYPlot plot = xyPlot(data, x, y);
    org.jfree.chart.renderer.xy.XYStepRenderer r = new org.jfree.chart.renderer.xy.XYStepRenderer();
    r.setSeriesPaint(0, BEST);
    r.setSeriesStroke(0, new BasicStroke(2f));
    r.setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
    r.setDefaultShapesVisible(true);
    plot.setRenderer(r);
    return chart(null, plot, false);
  }

  /**
   * A population's score over its generations: one coloured line per member, broken where the
   * member took another's weights, and each such exploit drawn as a dashed grey line from the
   * parent trial to the child. In each series a NaN score breaks the line.
   */
  static JFreeChart population(String metric, List<List<Point>> members, List<Point> jumps) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    for (int m = 0; m < members.size(); m++) {
      XYSeries s = new XYSeries("member " + m, false, true);
      members.get(m).forEach(p -> s.add(p.x(), Double.isNaN(p.y()) ? null : p.y()));
      data.addSeries(s);
      r.setSeriesPaint(m, MEMBERS[m % MEMBERS.length]);
      r.setSeriesStroke(m, new BasicStroke(1.8f));
      r.setSeriesShape(m, new Ellipse2D.Double(-3, -3, 6, 6));
    }
    int j = members.size();
    XYSeries exploits = new XYSeries("exploit: copied from parent", false, true);
    jumps.forEach(p -> exploits.add(p.x(), Double.isNaN(p.y()) ? null : p.y()));
    data.addSeries(exploits);
    r.setSeriesPaint(j, INFEASIBLE);
    r.setSeriesShapesVisible(j, false);
    r.setSeriesStroke(j, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
        new float[] {5f, 3f}, 0f));
    NumberAxis x = new NumberAxis("generation");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    double last = members.stream().flatMap(List::stream).mapToDouble(Point::x).max().orElse(0);
    // A little room beside the first and last generation, so their points are not cut by the frame.
    x.setRange(-0.25, Math.max(1, last) + 0.25);
    XYPlot plot = xyPlot(data, x, scoreAxis(metric));
    plot.setRenderer(r);
    return chart(null, plot, true);
  }

  /** One horizontal bar per parameter: its share of the score's variance. */
  static JFreeChart importance(List<ParameterImportance.Importance> importances) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    importances.forEach(i -> data.addValue(i.share(), "share", i.parameter()));
    CategoryPlot plot = new CategoryPlot(data, new org.jfree.chart.axis.CategoryAxis(null),
        new NumberAxis("share of the score's variance (epsilon squared)"), new BarRenderer());
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.getRangeAxis().setRange(0, 1);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(GRID);
    BarRenderer r = (BarRenderer) plot.getRenderer();
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setSeriesPaint(0, COMPLETE);
    r.setMaximumBarWidth(0.12);
    return chart(null, plot, false);
  }

  /** Score against the budget a trial reached, for multi-fidelity studies. */
  static JFreeChart budget(String metric, boolean log, List<Point> complete, List<Point> pruned) {
    ValueAxis x;
    if (log) {
      LogAxis a = new LogAxis("budget (log scale)");
      a.setBase(2);
      a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      x = a;
    } else {
      NumberAxis a = new NumberAxis("budget");
      a.setAutoRangeIncludesZero(false);
      x = a;
    }
    return chart(null, xyPlot(scatter(complete, pruned), x, scoreAxis(metric)), true);
  }

  private static XYSeriesCollection scatter(List<Point> complete, List<Point> pruned) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(series("complete", complete));
    data.addSeries(series("pruned", pruned));
    return data;
  }

  private static XYSeries series(String name, List<Point> points) {
    XYSeries s = new XYSeries(name, false, true);
    points.forEach(p -> s.add(p.x(), p.y()));
    return s;
  }

  private static NumberAxis scoreAxis(String metric) {
    NumberAxis y = new NumberAxis(metric);
    y.setAutoRangeIncludesZero(false);
    return y;
  }

  /** A parallel-coordinates plot: one axis per name on x, each line's positions in [0, 1] on y. */
  private static XYPlot parallelPlot(XYSeriesCollection data, List<String> axes, String yLabel) {
    SymbolAxis x = new SymbolAxis(null, axes.toArray(new String[0]));
    x.setRange(-0.3, axes.size() - 0.7);
    x.setGridBandsVisible(false);
    NumberAxis y = new NumberAxis(yLabel);
    y.setRange(-0.1, 1.1);
    y.setTickLabelsVisible(false);
    XYPlot plot = xyPlot(data, x, y);
    plot.setRangeGridlinesVisible(false);
    plot.setDomainGridlinePaint(Color.DARK_GRAY);
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    return plot;
  }

  private static XYPlot xyPlot(XYSeriesCollection data, ValueAxis x, ValueAxis y) {
    XYPlot plot = new XYPlot(data, x, y, points(COMPLETE, PRUNED));
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setOutlinePaint(Color.GRAY);
    return plot;
  }

  private static XYLineAndShapeRenderer points(Paint complete, Paint pruned) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    r.setSeriesPaint(0, complete);
    r.setSeriesShape(0, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
    r.setSeriesPaint(1, pruned);
    r.setSeriesShape(1, triangle());
    return r;
  }

  private static Shape triangle() {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(0, -4.5);
    p.lineTo(4.5, 4);
    p.lineTo(-4.5, 4);
    p.closePath();
    return p;
  }

  private static Shape cross() {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(-3.5, -3.5);
    p.lineTo(3.5, 3.5);
    p.moveTo(-3.5, 3.5);
    p.lineTo(3.5, -3.5);
    return new BasicStroke(1.8f).createStrokedShape(p);
  }

  private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot, boolean legend) {
    JFreeChart c = new JFreeChart(title, TITLE, plot, legend);
    c.setBackgroundPaint(Color.WHITE);
    c.setAntiAlias(true);
    if (title != null) {
      c.setTitle(new TextTitle(title, TITLE));
    }
    if (legend) {
      c.getLegend().setFrame(new org.jfree.chart.block.BlockBorder(Color.WHITE));
    }
    return c;
  }

  private static Color blend(Color a, Color b, float t) {
    return new Color(Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
        Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
        Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
  }
}
