package io.tunelake.cli;

import io.tunelake.spark.SparkStudy;
import io.tunelake.delta.StudyLeaseException;
import io.tunelake.spec.SpecException;
import io.tunelake.study.StudyException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The TuneLake command line: {@code tune}, {@code validate}, {@code trials}, {@code best}, {@code report} and
 * {@code datagen}.
 * The same entry point runs locally ({@code scripts/tunelake ...}) and on a cluster
 * ({@code spark-submit --class io.tunelake.cli.Main tunelake.jar ...}); exit codes are listed
 * in {@link ExitCodes}.
 */
@Command(name = "tunelake", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Hyperparameter tuning for Spark MLlib pipelines, every trial in Delta tables.",
    subcommands = {TuneCommand.class, ValidateCommand.class, TrialsCommand.class, BestCommand.class,
        ReportCommand.class, DatagenCommand.class})
public final class Main {

  public static void main(String[] args) {
    int code = run(args);
    System.exit(code);
  }

  /** Runs a command and returns its exit code instead of exiting (for tests and embedding). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      if (e instanceof SpecException) {
        err.println("tunelake: invalid spec: " + e.getMessage());
        return ExitCodes.INVALID;
      }
      if (e instanceof StudyLeaseException) {
        err.println("tunelake: " + e.getMessage());
        return ExitCodes.BUSY;
      }
      if (e instanceof StudyException s) {
        err.println("tunelake: " + s.getMessage());
        return ExitCodes.of(s.kind());
      }
      if (e instanceof CommandException c) {
        err.println("tunelake: " + c.getMessage());
        return c.exitCode();
      }
      err.println("tunelake: " + cmd.getCommandName() + " failed: " + e);
      e.printStackTrace(err);
      return ExitCodes.UNEXPECTED;
    });
    cli.setExitCodeExceptionMapper(e -> ExitCodes.INVALID);
    return cli.execute(args);
  }

  /** Reports the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tunelake " + SparkStudy.version()};
    }
  }
}
