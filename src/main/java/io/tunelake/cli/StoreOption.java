package io.tunelake.cli;

import picocli.CommandLine.Option;

/** The {@code --store} option shared by the commands that read the tables. */
final class StoreOption {
  @Option(names = "--store", paramLabel = "DIR",
      description = "Base path of the Delta tables (default: ${DEFAULT-VALUE}).",
      defaultValue = io.tunelake.spec.JobSpecParser.DEFAULT_STORE)
  String path;
}
