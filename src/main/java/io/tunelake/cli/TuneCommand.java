package io.tunelake.cli;

import io.tunelake.optimize.TrialStatus;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.JobSpecParser;
import io.tunelake.study.Format;
import io.tunelake.study.StudyOutcome;
import io.tunelake.study.Trial;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tune SPEC}: runs (or continues) the study a spec describes, then refits the best pipeline. */
@Command(name = "tune", mixinStandardHelpOptions = true,
    description = "Run or continue the study described by SPEC; refit and save the best pipeline.")
final class TuneCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SPEC", description = "The job spec (YAML).")
  Path spec;

  @Option(names = "--store", paramLabel = "DIR", description = "Base path of the Delta tables (overrides store.path).")
  String store;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a spec field, e.g. search.trials=40.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--continue", description = "Continue the study even though its search space, data, pipeline or "
      + "metric changed since it last ran (without it such a re-run is refused with exit code 4).")
  boolean acceptChanges;

  @Override
  public Integer call() {
    JobSpec job = JobSpecParser.parse(spec, overrides);
    if (store != null) {
      job = job.withStorePath(store);
    }
    SparkSession spark = SparkSessions.create(master, "tunelake " + job.study());
    Tuning.Result result = Tuning.run(spark, job, Clock.systemUTC(), acceptChanges);
    System.out.println(summary(result));
    return ExitCodes.OK;
  }

  static String summary(Tuning.Result r) {
    StudyOutcome o = r.outcome();
    Trial best = o.best().orElseThrow();
    Map<TrialStatus, Integer> counts = o.countsByStatus();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%nstudy '%s': %d trials (%d complete, %d pruned, %d failed), %d added by this run in %.1f s%n",
        o.study(), o.trials().size(), counts.get(TrialStatus.COMPLETE), counts.get(TrialStatus.PRUNED),
        counts.get(TrialStatus.FAILED), o.added(), o.wall().toMillis() / 1000.0));
    sb.append(String.format("best trial %d: %s = %s (cross-validated, 95%% CI)%n", best.trialId(), o.metric(),
        Format.score(best.stats())));
    sb.append(String.format("  params: %s%n", best.params()));
    if (r.study().testMetric() != null) {
      sb.append(String.format("held-out test %s = %s on %d rows%n", o.metric(), Format.number(r.study().testMetric()),
          r.study().testRows()));
    }
    if (r.study().modelPath() != null) {
      sb.append(String.format("model: %s%n", r.study().modelPath()));
    }
    return sb.toString();
  }
}
