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
  private static final Color GRID = new Color(0xdddddd);
  private static final String SVG_NS = "http://www.w3.org/2000/svg";
  private static final Font TITLE = new Font("SansSerif", Font.BOLD, 14);

  private Charts() {}

  /** A rendered chart: its file name (without .svg), caption and the {@code <svg>} element. */
  record Svg(String name, String title, String element) {}

  /** One point of a scatter series. */
  record Point(double x, double y) {}

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
    SymbolAxis x = new SymbolAxis(null, axes.toArray(new String[0]));
    x.setRange(-0.3, axes.size() - 0.7);
    x.setGridBandsVisible(false);
    NumberAxis y = new NumberAxis("position in the observed range");
    y.setRange(-0.1, 1.1);
    y.setTickLabelsVisible(false);
    XYPlot plot = xyPlot(data, x, y);
    plot.setRangeGridlinesVisible(false);
    plot.setDomainGridlinePaint(Color.DARK_GRAY);
    plot.setDomainGridlineStroke(new BasicStroke(1f));
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
    Font small = new Font("SansSerif", Font.PLAIN, 10);
    for (int a = 0; a < axes.size(); a++) {
      XYTextAnnotation lo = new XYTextAnnotation(low.get(a), a, -0.06);
      lo.setFont(small);
      lo.setTextAnchor(TextAnchor.TOP_CENTER);
      plot.addAnnotation(lo);
      XYTextAnnotation hi = new XYTextAnnotation(high.get(a), a, 1.06);
      hi.setFont(small);
      hi.setTextAnchor(TextAnchor.BOTTOM_CENTER);
      plot.addAnnotation(hi);
    }
    return chart(null, plot, false);
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
