package io.tunelake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.report.StudyReport;
import io.tunelake.spark.SparkStudy;
import io.tunelake.spec.JobSpec;
import io.tunelake.study.Format;
import io.tunelake.study.ParetoGoals;
import io.tunelake.study.Phases;
import io.tunelake.study.StudyOutcome;
import io.tunelake.study.Trial;
import io.tunelake.study.WarmStart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.ShutdownHookManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scala.runtime.AbstractFunction0;
import scala.runtime.BoxedUnit;

/**
 * {@code tune SPEC}: runs (or continues) the study a spec describes, refits the best pipeline and
 * writes the study's report under {@code <store>/reports/<study>/}.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
    description = "Run or continue the study described by SPEC; refit and save the best pipeline.")
final class TuneCommand implements Callable<Integer> {
  /**
   * Runs before Spark's own hooks: the executor's (default priority 100) and the
   * SparkContext's (50); higher priorities run first.
   */
  private static final int STOP_HOOK_PRIORITY = 150;

  @Mixin
  JobOptions options;

  @Option(names = "--force", description = "Take the study over from another process that holds its lease but "
      + "has not renewed it for 3 min (a run on the same host whose process is gone is taken over without it).")
  boolean force;

  @Override
  public Integer call() throws IOException {
    JobSpec job = options.check();
    SparkSession spark = SparkSessions.create(options.master, "tunelake " + job.study());
    GracefulStop stop = new GracefulStop(job.study());
    Object hook = ShutdownHookManager.addShutdownHook(STOP_HOOK_PRIORITY, new AbstractFunction0<BoxedUnit>() {
      @Override
      public BoxedUnit apply() {
        stop.onShutdown();
        return BoxedUnit.UNIT;
      }
    });
    try {
      SparkStudy.Result result = SparkStudy.run(spark, job, Clock.systemUTC(), options.acceptChanges, force,
          stop.signal());
      System.out.println(summary(result));
      writeReport(job, result);
      writeSummary(result);
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      if (!stop.signal().isRequested()) {
        throw e;
      }
      stop.stopped(e);
      return ExitCodes.STOPPED;
    } finally {
      stop.ended();
      ShutdownHookManager.removeShutdownHook(hook);
    }
  }

  /** The study's report; a failure to write it is reported but does not fail the study. */
  private static void writeReport(JobSpec job, SparkStudy.Result result) {
    Path report = ReportCommand.defaultDir(job.store().path(), job.study());
    try {
      Path page = StudyReport.write(result.outcome().trials(),
          ReportCommand.context(result.study()).withGoals(result.outcome().goals()), report);
      System.out.println("report: " + page.toAbsolutePath().normalize());
    } catch (RuntimeException e) {
      System.err.println("tunelake: the study is saved, but writing its report to " + report + " failed: " + e);
    }
  }

  private void writeSummary(SparkStudy.Result r) throws IOException {
    if (options.summaryJson == null && !options.summaryStdout) {
      return;
    }
    String json = new ObjectMapper().writeValueAsString(summaryJson(r));
    if (options.summaryJson != null) {
      Path parent = options.summaryJson.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(options.summaryJson, json + "\n");
    }
    if (options.summaryStdout) {
      System.out.println(json);
    }
  }

  static Map<String, Object> summaryJson(SparkStudy.Result r) {
    StudyOutcome o = r.outcome();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("study", o.study());
    m.put("metric", o.metric());
    m.put("direction", o.direction().name());
    m.put("trials_total", o.trials().size());
    m.put("trials_added", o.added());
    Map<String, Integer> counts = new LinkedHashMap<>();
    o.countsByStatus().forEach((k, v) -> counts.put(k.name(), v));
    m.put("trials_by_status", counts);
    m.put("stop_reason", o.stopReason().name());
    List<Map<String, Object>> warm = new ArrayList<>();
    for (WarmStart.Source w : r.warmStart().sources()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("study", w.study());
      one.put("used", w.used());
      one.put("dropped", w.dropped());
      if (!Double.isNaN(w.similarity())) {
        one.put("similarity", w.similarity());
      }
      warm.add(one);
    }
    m.put("warm_start", warm);
    o.best().ifPresent(b -> m.put("best", TrialsCommand.toJson(b)));
    m.put("warned_trials", o.trials().stream().filter(t -> t.warning() != null).map(Trial::trialId).toList());
    m.put("test_metric", r.study().testMetric());
    m.put("test_rows", r.study().testRows());
    m.put("model_path", r.study().modelPath());
    m.put("wall_ms", o.wall().toMillis());
    Map<String, Long> phases = new LinkedHashMap<>();
    phases.put("data", r.phases().dataMs());
    phases.put("featurize", r.phases().featurizeMs());
    phases.put("rounds", r.phases().roundsMs());
    phases.put("refit", r.phases().refitMs());
    m.put("phases_ms", phases);
    m.put("utilisation", r.study().utilisation());
    return m;
  }

  static String summary(SparkStudy.Result r) {
    StudyOutcome o = r.outcome();
    Trial best = o.best().orElseThrow();
    Map<TrialStatus, Integer> counts = o.countsByStatus();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%nstudy '%s': %d trials (%d complete, %d pruned, %d failed), %d added by this run in %.1f s%n",
        o.study(), o.trials().size(), counts.get(TrialStatus.COMPLETE), counts.get(TrialStatus.PRUNED),
        counts.get(TrialStatus.FAILED), o.added(), o.wall().toMillis() / 1000.0));
    if (r.study().utilisation() != null) {
      sb.append(String.format("executor cores busy %.0f %% of the tuning wall time%n",
          100 * r.study().utilisation()));
    }
    for (WarmStart.Source w : r.warmStart().sources()) {
      sb.append(String.format("warm start: %d trials of study '%s' used, %d dropped%s%n", w.used(), w.study(),
          w.dropped(), Double.isNaN(w.similarity()) ? "" : " (data similarity " + Format.number(w.similarity()) + ")"));
    }
    sb.append(String.format("best trial %d: %s = %s (%s)%n", best.trialId(), o.metric(),
        Format.score(best.stats()), "holdout".equals(r.study().strategy()) ? "holdout validation"
            : "cross-validated, 95% CI"));
    sb.append(String.format("  params: %s%n", best.params()));
    ParetoGoals goals = o.goals();
    if (goals.isMulti()) {
      sb.append(String.format("pareto front: trials %s%n", goals.front(o.trials()).stream()
          .map(t -> String.valueOf(t.trialId())).collect(Collectors.joining(", "))));
    }
    if (goals.isMulti() || goals.select() != null || !goals.constraints().isEmpty()) {
      sb.append(String.format("picked %s%n", goals.why(best, o.trials())));
    }
    List<Trial> warned = o.trials().stream().filter(t -> t.warning() != null).toList();
    if (!warned.isEmpty()) {
      Trial shown = best.warning() != null ? best : warned.get(0);
      sb.append(String.format("warning: %d of %d trials look diverged (trials %s)%s: trial %d: %s%n", warned.size(),
          o.trials().size(), warned.stream().map(t -> String.valueOf(t.trialId())).collect(Collectors.joining(", ")),
          best.warning() != null ? ", the best one among them" : "", shown.trialId(), shown.warning()));
    }
    if (r.study().testMetric() != null) {
      sb.append(String.format("held-out test %s = %s on %d rows%n", o.metric(), Format.number(r.study().testMetric()),
          r.study().testRows()));
    }
    if (r.study().modelPath() != null) {
      sb.append(String.format("model: %s%n", r.study().modelPath()));
    }
    Phases p = r.phases();
    if (!p.equals(Phases.NONE)) {
      sb.append(String.format("time: data %.1f s, featurize %.1f s, rounds %.1f s, refit %.1f s%n", p.dataMs() / 1000.0,
          p.featurizeMs() / 1000.0, p.roundsMs() / 1000.0, p.refitMs() / 1000.0));
    }
    return sb.toString();
  }
}
