package io.tunelake.cli;

import io.tunelake.delta.StoreReader;
import io.tunelake.delta.StudyRow;
import io.tunelake.optimize.Direction;
import io.tunelake.report.ReportContext;
import io.tunelake.report.StudyReport;
import io.tunelake.spec.JobSpecParser;
import io.tunelake.spec.ParamSpec;
import io.tunelake.study.Trial;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code report STUDY}: writes the study's HTML report and its SVG plots. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write the HTML report of STUDY (summary, leaderboard, plots, parameter importance, significance).")
final class ReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "STUDY", description = "The study's name.")
  String study;

  @Mixin
  StoreOption store;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write index.html and the plots "
      + "(default: <store>/reports/<study>, or ./reports/<study> for a remote store).")
  Path out;

  @Override
  public Integer call() {
    StoreReader reader = store.open("report");
    List<Trial> trials = TrialsCommand.read(reader, store, study);
    Optional<StudyRow> row = reader.study(study);
    ReportContext context = row.map(ReportCommand::context)
        .orElseGet(() -> ReportContext.of(study, trials.get(0).metric(), Direction.MAXIMIZE))
        .withGoals(StoredGoals.of(row, trials));
    Path page = StudyReport.write(trials, context, out != null ? out : defaultDir(store.path, study));
    System.out.println("report: " + page.toAbsolutePath());
    return ExitCodes.OK;
  }

  /**
   * Where {@code tune} and {@code report} put a study's report unless told otherwise:
   * {@code <store>/reports/<study>} for a local store, {@code ./reports/<study>} when the store is
   * remote (s3a://, abfss://, hdfs://), since the report is written by the driver's file system.
   */
  static Path defaultDir(String storePath, String study) {
    if (storePath.startsWith("file:")) {
      return Path.of(java.net.URI.create(storePath)).resolve("reports").resolve(study);
    }
    if (storePath.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return Path.of("reports", study);
    }
    return Path.of(storePath, "reports", study);
  }

  /** What the studies table knows about a study, in the report's terms. */
  static ReportContext context(StudyRow r) {
    return new ReportContext(r.study(), r.metric(), Direction.valueOf(r.direction()), r.estimator(),
        r.dataLocation(), Math.max(0, r.folds()), r.trialBudget(), r.wallMs(), r.testMetric(), r.testRows(),
        r.utilisation(), logScaled(r.specYaml()));
  }

  /** The parameters the spec searches on a log scale; none when the stored spec no longer parses. */
  static Set<String> logScaled(String specYaml) {
    if (specYaml == null) {
      return Set.of();
    }
    try {
      return JobSpecParser.parse(specYaml, List.of()).space().stream().filter(ParamSpec::log).map(ParamSpec::name)
          .collect(Collectors.toSet());
    } catch (RuntimeException e) {
      return Set.of();
    }
  }
}
