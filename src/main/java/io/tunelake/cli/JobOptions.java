package io.tunelake.cli;

import io.tunelake.spark.SparkStudyPlan;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.JobSpecParser;
import io.tunelake.spec.SpecPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The arguments of a command that runs a job spec, shared by {@code tune} and {@code validate}
 * so that whatever a scheduler passes to one, the other accepts. Precedence: {@code --set} and
 * {@code --store} &gt; the spec file &gt; defaults.
 */
final class JobOptions {
  @Parameters(index = "0", paramLabel = "SPEC", description = "The job spec (YAML).")
  Path spec;

  @Option(names = "--store", paramLabel = "DIR", description = "Base path of the Delta tables (overrides store.path).")
  String store;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a spec field, e.g. search.trials=40.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--summary-json", paramLabel = "PATH",
      description = "Write the best trial and the study's figures as JSON to PATH.")
  Path summaryJson;

  @Option(names = "--summary-stdout",
      description = "Also print that JSON as the last line on stdout (for Airflow's XCom).")
  boolean summaryStdout;

  @Option(names = "--continue", description = "Continue the study even though its search space, data, pipeline or "
      + "metric changed since it last ran (without it such a re-run is refused with exit code 4).")
  boolean acceptChanges;

  /** The spec with overrides applied and {@code --store} in force. */
  JobSpec parse() {
    JobSpec job = JobSpecParser.parse(spec, overrides);
    return store == null ? job : job.withStorePath(store);
  }

  /**
   * The spec checked as far as it can be without Spark: every field, the estimator, the space
   * against its MLlib params, the metric, the search options and the local paths. {@code tune}
   * and {@code validate} both start here, so a bad spec gets the same message from both, before
   * any SparkContext exists.
   */
  JobSpec check() {
    JobSpec job = parse();
    SparkStudyPlan.checkStatic(job);
    SpecPaths.check(job);
    return job;
  }
}
