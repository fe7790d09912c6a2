package io.tunelake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain-Java packages stay plain: no Spark, Delta, Hadoop or Scala, and none of TuneLake's
 * engine-side packages ({@code spark}, {@code delta}, {@code cli}) or the Spark API at the root,
 * so that they run and test without an engine and can be used as a library on their own.
 */
class PlainPackagesTest {
  /** A reference to the engine, in an import or written out in the code. */
  private static final Pattern ENGINE = Pattern.compile(
      "(?<![\\w.])(org\\.apache\\.spark|io\\.delta|org\\.apache\\.hadoop|scala|io\\.tunelake\\.(spark|delta|cli))\\.");
  /** An import of a type of the root package, the Spark-side public API. */
  private static final Pattern ROOT_API = Pattern.compile("^import\\s+(static\\s+)?io\\.tunelake\\.[A-Z]");

  @ParameterizedTest
  @ValueSource(strings = {"space", "optimize", "study", "spec"})
  void sources_referToNoEngine(String pkg) throws IOException {
    Path dir = Path.of(System.getProperty("tunelake.project.dir", "."), "src/main/java/io/tunelake", pkg);
    List<String> offending = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
        try {
          List<String> lines = Files.readAllLines(f);
          for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("*") || line.startsWith("/") || line.startsWith("package ")) {
              continue;
            }
            if (ENGINE.matcher(line).find() || ROOT_API.matcher(line).find()) {
              offending.add(dir.relativize(f) + ":" + (i + 1) + ": " + line);
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    assertEquals(List.of(), offending);
  }
}
