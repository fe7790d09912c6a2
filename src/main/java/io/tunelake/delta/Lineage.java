package io.tunelake.delta;

/**
 * Where a study's trials came from, stamped on every trial row it commits: the input data
 * ({@code dataLocation}, its format and, for a Delta input, the table version read), the fold
 * assignment the trials were scored on, the seed, the optimizer and the software versions.
 * Any field but the versions may be null when unknown.
 */
public record Lineage(
    String dataLocation,
    String dataFormat,
    Long dataVersion,
    String foldAssignment,
    Long seed,
    String optimizer,
    String tunelakeVersion,
    String sparkVersion) {

  /** No lineage: every column left null (stores opened for reading, tests). */
  public static final Lineage NONE = new Lineage(null, null, null, null, null, null, null, null);
}
