package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The command line holds picocli commands only: the study's lifecycle and its tables live behind the API. */
class CliLayoutTest {

  @Test
  void sources_importNoDelta() throws IOException {
    Path dir = Path.of(System.getProperty("tunelake.project.dir", "."), "src/main/java/io/tunelake/cli");
    List<String> offending;
    try (Stream<Path> files = Files.list(dir)) {
      offending = files.flatMap(f -> {
        try {
          return Files.readAllLines(f).stream()
              .filter(l -> l.matches("import (static )?io\\.delta\\..*"))
              .map(l -> f.getFileName() + ": " + l);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    }
    assertEquals(List.of(), offending);
  }
}
