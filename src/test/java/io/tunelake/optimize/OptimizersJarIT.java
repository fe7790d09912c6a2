package io.tunelake.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The plain-Java optimizers work from the application jar alone, without Spark on the classpath. */
class OptimizersJarIT {

  @Test
  void everyOptimizer_asksFromTheJarAlone() throws IOException, InterruptedException {
    Path project = Path.of(System.getProperty("tunelake.project.dir", "."));
    Path jar = project.resolve("target/tunelake-" + System.getProperty("tunelake.version") + ".jar");
    // Only the main class comes from the test classes; everything it touches must come from the jar.
    String classpath = jar + java.io.File.pathSeparator + project.resolve("target/test-classes");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        classpath, JarOnlyMain.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    List<String> expected = Optimizers.names().stream().map(n -> n + " 2").collect(Collectors.toList());
    assertEquals(expected, out.lines().toList(), out);
  }
}
