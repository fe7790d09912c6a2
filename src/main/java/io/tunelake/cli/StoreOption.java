package io.tunelake.cli;

import io.tunelake.delta.StoreReader;
import picocli.CommandLine.Option;

/**
 * The options shared by the commands that read the tables ({@code trials}, {@code best},
 * {@code report}): where the tables are, and the Spark master for a catalog database.
 */
final class StoreOption {
  @Option(names = "--store", paramLabel = "DIR",
      description = "Base path of the Delta tables (default: ${DEFAULT-VALUE}); read directly, without Spark.",
      defaultValue = io.tunelake.spec.JobSpecParser.DEFAULT_STORE)
  String path;

  @Option(names = "--database", paramLabel = "DB",
      description = "Read the tables a study registered in this catalog database (store.database) through Spark "
          + "instead of by path.")
  String database;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master for --database (default: local[*]); tables read by path need no Spark.")
  String master;

  /**
   * Opens the tables: by path with Delta Kernel, which starts no Spark, or, with
   * {@code --database}, through a Spark session's catalog.
   */
  StoreReader open(String command) {
    try {
      return database == null ? StoreReader.atPath(path)
          : StoreReader.inCatalog(SparkSessions.create(master, "tunelake " + command), database);
    } catch (IllegalArgumentException e) {
      throw new CommandException(ExitCodes.REFUSED, e.getMessage());
    }
  }

  /** Where the tables are, for messages. */
  String where() {
    return database == null ? "'" + path + "'" : "database " + database;
  }
}
