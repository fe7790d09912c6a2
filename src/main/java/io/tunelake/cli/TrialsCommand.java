package io.tunelake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tunelake.delta.StoreReader;
import io.tunelake.study.Format;
import io.tunelake.study.Trial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trials STUDY}: every trial of a study, as a table for people or CSV/JSON for programs. */
@Command(name = "trials", mixinStandardHelpOptions = true, description = "List the trials of STUDY.")
final class TrialsCommand implements Callable<Integer> {
  /** Output formats. */
  enum OutputFormat { table, csv, json }

  @Parameters(index = "0", paramLabel = "STUDY", description = "The study's name.")
  String study;

  @Mixin
  StoreOption store;

  @Option(names = "--format", description = "table, csv or json (default: ${DEFAULT-VALUE}).", defaultValue = "table")
  OutputFormat format;

  @Override
  public Integer call() throws Exception {
    List<Trial> trials = read(store.open("trials"), store, study);
    switch (format) {
      case csv:
        System.out.print(csv(trials));
        break;
      case json:
        System.out.println(json(trials));
        break;
      default:
        System.out.print(table(trials));
    }
    return ExitCodes.OK;
  }

  /** The study's trials; refused (exit code 4) when it has none. */
  static List<Trial> read(StoreReader reader, StoreOption store, String study) {
    List<Trial> trials;
    try {
      trials = reader.trials(study);
    } catch (IllegalArgumentException e) {
      throw new CommandException(ExitCodes.REFUSED, e.getMessage());
    }
    if (trials.isEmpty()) {
      throw new CommandException(ExitCodes.REFUSED, "study '" + study + "' has no trials under " + store.where()
          + "; check the name and " + (store.database == null ? "--store" : "--database"));
    }
    return trials;
  }

  static List<String> paramNames(List<Trial> trials) {
    Set<String> names = new LinkedHashSet<>();
    trials.forEach(t -> names.addAll(t.params().keySet()));
    return new ArrayList<>(names);
  }

  static String csv(List<Trial> trials) {
    List<String> params = paramNames(trials);
    StringBuilder sb = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("study", "trial_id", "round", "status", "proposer"));
    params.forEach(p -> header.add("param_" + p));
    header.addAll(List.of("metric", "fold_metrics", "mean", "std", "ci_low", "ci_high", "duration_ms", "error"));
    sb.append(String.join(",", header)).append('\n');
    for (Trial t : trials) {
      List<String> cells = new ArrayList<>(List.of(t.study(), String.valueOf(t.trialId()),
          String.valueOf(t.round()), t.status().name(), t.proposer() == null ? "" : t.proposer()));
      params.forEach(p -> cells.add(t.params().containsKey(p) ? String.valueOf(t.params().get(p)) : ""));
      cells.add(t.metric());
      cells.add(t.foldMetrics().stream().map(String::valueOf).collect(Collectors.joining(";")));
      cells.add(num(t.stats().mean()));
      cells.add(num(t.stats().std()));
      cells.add(num(t.stats().ciLow()));
      cells.add(num(t.stats().ciHigh()));
      cells.add(String.valueOf(t.durationMs()));
      cells.add(t.error() == null ? "" : t.error());
      sb.append(cells.stream().map(TrialsCommand::quote).collect(Collectors.joining(","))).append('\n');
    }
    return sb.toString();
  }

  static String json(List<Trial> trials) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Trial t : trials) {
      out.add(toJson(t));
    }
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
  }

  static Map<String, Object> toJson(Trial t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("study", t.study());
    m.put("trial_id", t.trialId());
    m.put("round", t.round());
    m.put("status", t.status().name());
    m.put("proposer", t.proposer());
    m.put("params", t.params());
    m.put("metric", t.metric());
    m.put("fold_metrics", t.foldMetrics());
    m.put("mean", nullable(t.stats().mean()));
    m.put("std", nullable(t.stats().std()));
    m.put("ci_low", nullable(t.stats().ciLow()));
    m.put("ci_high", nullable(t.stats().ciHigh()));
    m.put("duration_ms", t.durationMs());
    m.put("started_at", t.startedAt().toString());
    m.put("finished_at", t.finishedAt().toString());
    m.put("error", t.error());
    return m;
  }

  static String table(List<Trial> trials) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"trial", "round", "status", "proposer", trials.get(0).metric() + " (95% CI)", "params"});
    for (Trial t : trials) {
      String score = t.error() != null ? truncate(t.error(), 60) : Format.score(t.stats());
      rows.add(new String[] {String.valueOf(t.trialId()), String.valueOf(t.round()), t.status().name(),
          t.proposer() == null ? "unknown" : t.proposer(), score, t.params().toString()});
    }
    int[] widths = new int[6];
    for (String[] r : rows) {
      for (int i = 0; i < 5; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      sb.append(String.format("%" + widths[0] + "s  %" + widths[1] + "s  %-" + widths[2] + "s  %-" + widths[3]
          + "s  %-" + widths[4] + "s  %s%n", (Object[]) r));
    }
    return sb.toString();
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.valueOf(v);
  }

  private static Double nullable(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static String quote(String cell) {
    if (cell.contains(",") || cell.contains("\"") || cell.contains("\n")) {
      return "\"" + cell.replace("\"", "\"\"") + "\"";
    }
    return cell;
  }
}
