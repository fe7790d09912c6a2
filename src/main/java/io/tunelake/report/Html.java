package io.tunelake.report;

import java.util.List;
import java.util.Set;

/** A small HTML writer for the report page: escaped text, tables and figures, one inline style sheet, no scripts. */
final class Html {
  private static final String STYLE = String.join("\n",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:2em auto;",
      "  max-width:1200px;padding:0 1em;color:#222;line-height:1.4}",
      "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd}",
      "table{border-collapse:collapse;font-size:.9em;margin:.5em 0}",
      "th,td{border-bottom:1px solid #e5e5e5;padding:.25em .6em;text-align:left;vertical-align:top}",
      "th{background:#f5f5f5}td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}",
      "table.kv th{background:none;font-weight:600;white-space:nowrap}",
      "figure{margin:.5em 0}figcaption,p.note{color:#555;font-size:.9em;max-width:60em}",
      ".grid{display:flex;flex-wrap:wrap;gap:.5em}",
      "svg{max-width:100%;height:auto}");

  private final StringBuilder body = new StringBuilder();
  private final String title;

  Html(String title) {
    this.title = title;
  }

  void h1(String text) {
    body.append("<h1>").append(escape(text)).append("</h1>\n");
  }

  void h2(String id, String text) {
    body.append("<h2 id=\"").append(escape(id)).append("\">").append(escape(text)).append("</h2>\n");
  }

  void p(String text) {
    body.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
  }

  /** A two-column table of labels and values. */
  void keyValues(List<List<String>> rows) {
    body.append("<table class=\"kv\">\n");
    for (List<String> r : rows) {
      body.append("<tr><th>").append(escape(r.get(0))).append("</th><td>").append(escape(r.get(1)))
          .append("</td></tr>\n");
    }
    body.append("</table>\n");
  }

  /** A table; the columns in {@code numeric} are right-aligned. */
  void table(List<String> header, List<List<String>> rows, Set<Integer> numeric) {
    body.append("<table>\n<tr>");
    header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
    body.append("</tr>\n");
    for (List<String> r : rows) {
      body.append("<tr>");
      for (int i = 0; i < r.size(); i++) {
        body.append(numeric.contains(i) ? "<td class=\"num\">" : "<td>").append(escape(r.get(i))).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
  }

  /** One plot with its caption; the figure's id is the plot's name, as is its SVG file's. */
  void figure(Charts.Svg svg, String caption) {
    body.append("<figure id=\"plot-").append(escape(svg.name())).append("\" class=\"plot\">\n")
        .append(svg.element()).append("\n<figcaption>").append(escape(caption))
        .append(" (<a href=\"").append(escape(svg.name())).append(".svg\">").append(escape(svg.name()))
        .append(".svg</a>)</figcaption>\n</figure>\n");
  }

  /** Several plots side by side, with one caption below them. */
  void grid(List<Charts.Svg> svgs, String caption) {
    body.append("<div class=\"grid\">\n");
    for (Charts.Svg svg : svgs) {
      body.append("<figure id=\"plot-").append(escape(svg.name())).append("\" class=\"plot\">\n")
          .append(svg.element()).append("\n</figure>\n");
    }
    body.append("</div>\n");
    p(caption);
  }

  @Override
  public String toString() {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
        + "</title>\n<style>\n" + STYLE + "\n</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
