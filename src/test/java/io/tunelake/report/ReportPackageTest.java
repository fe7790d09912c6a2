package io.tunelake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ReportPackageTest {

  @Test
  void sources_importNeitherSparkNorTheSparkSidePackages() throws Exception {
    Path dir = Path.of(System.getProperty("tunelake.project.dir", "."), "src/main/java/io/tunelake/report");
    List<String> offending;
    try (Stream<Path> files = Files.list(dir)) {
      offending = files.flatMap(f -> {
        try {
          return Files.readAllLines(f).stream().filter(l -> l.startsWith("import ")
              && (l.contains("org.apache.spark") || l.contains("io.tunelake.delta") || l.contains("io.tunelake.spark")
              || l.contains("io.tunelake.cli"))).map(l -> f.getFileName() + ": " + l);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    assertEquals(List.of(), offending);
  }
}
