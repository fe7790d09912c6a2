package io.tunelake.cli;

import io.tunelake.spark.SparkData;
import io.tunelake.spark.SparkStudyPlan;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.JobSpecParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code validate SPEC}: checks the spec and the data's schema without running a trial. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check SPEC and its data's schema without running a trial.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SPEC", description = "The job spec (YAML).")
  Path spec;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a spec field, e.g. search.trials=40.")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() {
    JobSpec job = JobSpecParser.parse(spec, overrides);
    SparkStudyPlan.checkStatic(job);
    SparkSession spark = SparkSessions.create(master, "tunelake validate " + job.study());
    SparkStudyPlan plan = SparkStudyPlan.resolve(job, SparkData.load(spark, job.data()));
    System.out.printf("spec '%s' is valid: %s (%s) on %s, %d features, metric %s (%s), %d %s folds, %s search over %s%n",
        spec, job.estimator(), plan.task().name().toLowerCase(), job.data().location(),
        plan.columns().features().size(), plan.metric(), plan.direction().name().toLowerCase(), plan.folds(),
        plan.strategy(), job.search().algorithm(), plan.space().names());
    return ExitCodes.OK;
  }
}
