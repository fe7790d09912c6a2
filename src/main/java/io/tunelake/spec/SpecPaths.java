package io.tunelake.spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks the spec's local paths with the file system alone, before Spark starts: the data path
 * exists, and the store path is a directory that can be written (or can be created). Paths on
 * other file systems ({@code s3a://}, {@code hdfs://}, ...) and globs are left to the reader.
 */
public final class SpecPaths {
  private SpecPaths() {}

  /** Checks {@code data.path} and {@code store.path} where they are local. */
  public static void check(JobSpec spec) {
    JobSpec.Data data = spec.data();
    if (data.path() != null) {
      local(data.path()).ifPresent(p -> {
        if (!Files.exists(p)) {
          throw SpecException.missingDataPath(data.path(), p);
        }
      });
    }
    local(spec.store().path()).ifPresent(SpecPaths::checkStore);
  }

  private static void checkStore(Path store) {
    Path existing = store;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return;
    }
    if (!Files.isDirectory(existing)) {
      throw SpecException.storeNotADirectory(store, existing);
    }
    if (!Files.isWritable(existing)) {
      throw SpecException.storeNotWritable(store, existing);
    }
  }

  /** The local file a path names, if it is local and names one file or directory (no glob). */
  public static java.util.Optional<Path> local(String path) {
    String p = path;
    String lower = p.toLowerCase(Locale.ROOT);
    if (lower.startsWith("file:")) {
      p = p.substring("file:".length()).replaceFirst("^//", "");
    } else if (lower.matches("^[a-z][a-z0-9+.-]*:.*")) {
      return java.util.Optional.empty();
    }
    if (p.isEmpty() || p.matches(".*[*?\\[{].*")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Path.of(p).toAbsolutePath().normalize());
  }
}
