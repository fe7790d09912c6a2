package io.tunelake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunelake.delta.StoreReader;
import io.tunelake.delta.StudyRow;
import io.tunelake.optimize.Direction;
import io.tunelake.study.Format;
import io.tunelake.study.ParetoGoals;
import io.tunelake.study.StudyOutcome;
import io.tunelake.study.Trial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code best STUDY}: the best complete trial, its held-out score and model. A study with several
 * objectives, constraints or {@code evaluation.select} shows the trial its rule picks (the one
 * {@code tune} refitted) and why; with several objectives also its Pareto front.
 */
@Command(name = "best", mixinStandardHelpOptions = true, description = "Show the best trial of STUDY "
    + "(with several objectives: the Pareto front and the trial picked from it).")
final class BestCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "STUDY", description = "The study's name.")
  String study;

  @Mixin
  StoreOption store;

  @Option(names = "--json", description = "Print one JSON object for programs.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    StoreReader reader = store.open("best");
    List<Trial> trials = TrialsCommand.read(reader, store, study);
    Optional<StudyRow> row = reader.study(study);
    Direction direction = row.map(r -> Direction.valueOf(r.direction())).orElse(Direction.MAXIMIZE);
    ParetoGoals goals = StoredGoals.of(row, trials);
    boolean rule = StoredGoals.hasRule(goals);
    Optional<Trial> best = rule
        ? new StudyOutcome(study, trials.get(0).metric(), direction, trials, 0, null, Duration.ZERO, goals).best()
        : StudyOutcome.best(trials, direction);
    if (best.isEmpty()) {
      throw new CommandException(ExitCodes.NO_COMPLETE_TRIAL, "study '" + study + "' has " + trials.size()
          + " trials and " + (rule ? "no complete, feasible one at full budget" : "none completed"));
    }
    Trial b = best.get();
    List<Trial> front = goals.isMulti() ? goals.front(trials) : List.of();
    if (json) {
      Map<String, Object> m = TrialsCommand.toJson(b);
      m.put("direction", direction.name());
      row.ifPresent(r -> {
        m.put("test_metric", r.testMetric());
        m.put("model_path", r.modelPath());
        m.put("trials_total", trials.size());
      });
      if (rule) {
        m.put("picked_because", goals.why(b, trials));
      }
      if (goals.isMulti()) {
        List<Map<String, Object>> objectives = new ArrayList<>();
        for (ParetoGoals.Goal g : goals.objectives()) {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("metric", g.metric());
          o.put("direction", g.direction().name());
          objectives.add(o);
        }
        m.put("objectives", objectives);
        m.put("objective_means", TrialsCommand.objectiveMeans(b, goals));
        List<Map<String, Object>> members = new ArrayList<>();
        for (Trial t : front) {
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("trial_id", t.trialId());
          f.put("objective_means", TrialsCommand.objectiveMeans(t, goals));
          f.put("feasible", goals.feasible(t));
          f.put("picked", t.trialId() == b.trialId());
          members.add(f);
        }
        m.put("front", members);
      }
      System.out.println(new ObjectMapper().writeValueAsString(m));
    } else {
      System.out.printf("study '%s': %s trial %d of %d, %s = %s (95%% CI %s .. %s)%n", study, rule ? "picked" : "best",
          b.trialId(), trials.size(), b.metric(), Format.score(b.stats()), Format.number(b.stats().ciLow()),
          Format.number(b.stats().ciHigh()));
      System.out.printf("  params: %s%n", b.params());
      if (rule) {
        System.out.printf("  picked %s%n", goals.why(b, trials));
      }
      if (goals.isMulti()) {
        System.out.printf("  pareto front: %d trial%s%n", front.size(), front.size() == 1 ? "" : "s");
        System.out.print(frontTable(front, b, goals).indent(4));
      }
      row.filter(r -> r.testMetric() != null).ifPresent(r -> System.out.printf("  held-out test %s = %s%n",
          b.metric(), Format.number(r.testMetric())));
      row.filter(r -> r.modelPath() != null).ifPresent(r -> System.out.printf("  model: %s%n", r.modelPath()));
    }
    return ExitCodes.OK;
  }

  /** The front as a table: trial id, each objective's mean, feasibility, and which trial is picked. */
  static String frontTable(List<Trial> front, Trial picked, ParetoGoals goals) {
    List<String> header = new ArrayList<>(List.of("trial"));
    goals.objectives().forEach(g -> header.add(g.metric()));
    header.addAll(List.of("feasible", ""));
    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    for (Trial t : front) {
      List<String> r = new ArrayList<>(List.of(String.valueOf(t.trialId())));
      goals.objectives().forEach(g -> r.add(Format.number(ParetoGoals.mean(t, g.metric()))));
      r.add(goals.feasible(t) ? "yes" : "no");
      r.add(t.trialId() == picked.trialId() ? "<- picked" : "");
      rows.add(r);
    }
    return TrialsCommand.align(rows, header.size() - 2);
  }
}
