package io.tunelake.cli;

import io.tunelake.spark.SparkStudyData;
import io.tunelake.spark.SparkStudyPlan;
import io.tunelake.spec.JobSpec;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code validate SPEC}: checks the spec and the data's schema without running a trial. It
 * takes every argument {@code tune} takes, so a scheduler can validate the exact command line
 * it will run.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check SPEC and its data's schema without running a trial (takes tune's arguments).")
final class ValidateCommand implements Callable<Integer> {
  @Mixin
  JobOptions options;

  @Override
  public Integer call() {
    JobSpec job = options.check();
    SparkSession spark = SparkSessions.create(options.master, "tunelake validate " + job.study());
    // The same read as tune's, so a pinned data.version is checked too.
    SparkStudyPlan plan = SparkStudyPlan.resolve(job,
        SparkStudyData.load(spark, job.data(), SparkStudyData.deltaVersion(spark, job.data())));
    String scoring = "holdout".equals(plan.strategy())
        ? "a holdout split (" + Math.round(100 * job.evaluation().validationFraction()) + " % of training rows)"
        : plan.folds() + " " + plan.strategy() + " folds";
    System.out.printf("spec '%s' is valid: %s (%s) on %s, %d features, metric %s (%s), %s, %s search over %s%n",
        options.spec, job.estimator(), plan.task().name().toLowerCase(), job.data().location(),
        plan.columns().features().size(), plan.metric(), plan.direction().name().toLowerCase(), scoring,
        job.search().algorithm(), plan.space().names());
    return ExitCodes.OK;
  }
}
