package io.tunelake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tunelake.delta.StoreReader;
import io.tunelake.study.Format;
import io.tunelake.study.ParetoGoals;
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

/**
 * {@code trials STUDY}: every trial of a study, as a table for people or CSV/JSON for programs.
 * With several objectives each row also carries every objective's mean and whether the trial is
 * feasible; {@code --front} keeps the trials of the Pareto front only.
 */
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

  @Option(names = "--front", description = "Only the trials of the Pareto front: the complete, feasible, full-budget "
      + "trials no other such trial matches in every objective and beats in one (with one objective, the best).")
  boolean front;

  @Override
  public Integer call() throws Exception {
    StoreReader reader = store.open("trials");
    List<Trial> trials = read(reader, store, study);
    ParetoGoals goals = StoredGoals.of(reader.study(study), trials);
    List<Trial> shown = trials;
    if (front) {
      shown = goals.front(trials);
      if (shown.isEmpty()) {
        throw new CommandException(ExitCodes.NO_COMPLETE_TRIAL, "study '" + study + "' has " + trials.size()
            + " trials and no front: none is complete, feasible and at full budget with every objective measured");
      }
    }
    switch (format) {
      case csv:
        System.out.print(csv(shown, goals));
        break;
      case json:
        System.out.println(json(shown, goals));
        break;
      default:
        System.out.print(table(shown, goals));
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

  /** The objectives besides the study's metric, shown beside it when there are several. */
  private static List<ParetoGoals.Goal> others(ParetoGoals goals) {
    return goals.isMulti() ? goals.objectives().subList(1, goals.objectives().size()) : List.of();
  }

  /**
   * As CSV; with several objectives or constraints, a {@code mean_<metric>} column for each
   * further objective and {@code feasible} come last.
   */
  static String csv(List<Trial> trials, ParetoGoals goals) {
    List<String> params = paramNames(trials);
    boolean feasibility = StoredGoals.hasRule(goals);
    StringBuilder sb = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("study", "trial_id", "round", "status", "proposer"));
    params.forEach(p -> header.add("param_" + p));
    header.addAll(List.of("metric", "fold_metrics", "mean", "std", "ci_low", "ci_high", "duration_ms", "error"));
    others(goals).forEach(g -> header.add("mean_" + g.metric()));
    if (feasibility) {
      header.add("feasible");
    }
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
      others(goals).forEach(g -> cells.add(num(ParetoGoals.mean(t, g.metric()))));
      if (feasibility) {
        cells.add(String.valueOf(feasible(t, goals)));
      }
      sb.append(cells.stream().map(TrialsCommand::quote).collect(Collectors.joining(","))).append('\n');
    }
    return sb.toString();
  }

  /**
   * As a JSON array; with several objectives or constraints each trial also carries
   * {@code objective_means} (every objective's mean, by metric) and {@code feasible}.
   */
  static String json(List<Trial> trials, ParetoGoals goals) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Trial t : trials) {
      Map<String, Object> m = toJson(t);
      if (goals.isMulti()) {
        m.put("objective_means", objectiveMeans(t, goals));
      }
      if (StoredGoals.hasRule(goals)) {
        m.put("feasible", feasible(t, goals));
      }
      out.add(m);
    }
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
  }

  /** Every objective's mean for {@code t}, by metric, in the objectives' order; null where one is missing. */
  static Map<String, Object> objectiveMeans(Trial t, ParetoGoals goals) {
    Map<String, Object> m = new LinkedHashMap<>();
    goals.objectives().forEach(g -> m.put(g.metric(), nullable(ParetoGoals.mean(t, g.metric()))));
    return m;
  }

  /** Whether {@code t} is a complete trial that keeps every constraint (a failed or pruned one is not feasible). */
  static boolean feasible(Trial t, ParetoGoals goals) {
    return t.status() == io.tunelake.optimize.TrialStatus.COMPLETE && goals.feasible(t);
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

  /**
   * As a table for people; with several objectives each further objective's mean follows the
   * metric, and with several objectives or constraints a {@code feasible} column.
   */
  static String table(List<Trial> trials, ParetoGoals goals) {
    List<ParetoGoals.Goal> others = others(goals);
    boolean feasibility = StoredGoals.hasRule(goals);
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("trial", "round", "status", "proposer",
        trials.get(0).metric() + " (95% CI)"));
    others.forEach(g -> header.add(g.metric()));
    if (feasibility) {
      header.add("feasible");
    }
    header.add("params");
    rows.add(header);
    for (Trial t : trials) {
      String score = t.error() != null ? truncate(t.error(), 60) : Format.score(t.stats());
      List<String> r = new ArrayList<>(List.of(String.valueOf(t.trialId()), String.valueOf(t.round()),
          t.status().name(), t.proposer() == null ? "unknown" : t.proposer(), score));
      others.forEach(g -> r.add(Format.number(ParetoGoals.mean(t, g.metric()))));
      if (feasibility) {
        r.add(feasible(t, goals) ? "yes" : "no");
      }
      r.add(t.params().toString());
      rows.add(r);
    }
    return align(rows, 2);
  }

  /**
   * Rows as aligned text: the first {@code rightAligned} columns to the right, the others to the
   * left, two spaces apart; the last column is not padded, nor is any line's end.
   */
  static String align(List<List<String>> rows, int rightAligned) {
    int n = rows.get(0).size();
    int[] widths = new int[n];
    for (List<String> r : rows) {
      for (int i = 0; i < n - 1; i++) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < n; i++) {
        String cell = r.get(i);
        if (i == n - 1) {
          line.append(cell);
        } else if (i < rightAligned) {
          line.append(" ".repeat(widths[i] - cell.length())).append(cell).append("  ");
        } else {
          line.append(cell).append(" ".repeat(widths[i] - cell.length())).append("  ");
        }
      }
      sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
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
