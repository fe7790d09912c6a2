package io.tunelake.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The optimizer packages form no cycle: algorithms depend on the contract in
 * {@code io.tunelake.optimize}, which finds them through {@link Algorithm} without importing any.
 */
class OptimizePackagesTest {
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(io\\.tunelake\\.optimize(?:\\.[a-z]\\w*)*)\\.");

  /** Package to the optimize packages its sources import (itself left out). */
  static Map<String, Set<String>> imports() throws IOException {
    Path root = Path.of(System.getProperty("tunelake.project.dir", "."), "src/main/java");
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root.resolve("io/tunelake/optimize"))) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
        String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
        Set<String> deps = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
        try {
          for (String line : Files.readAllLines(f)) {
            Matcher m = IMPORT.matcher(line);
            if (m.find() && !m.group(1).equals(pkg)) {
              deps.add(m.group(1));
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return graph;
  }

  @Test
  void packages_formNoCycle() throws IOException {
    Map<String, Set<String>> graph = imports();
    List<String> cycles = new ArrayList<>();
    for (String start : graph.keySet()) {
      List<String> path = new ArrayList<>(List.of(start));
      findCycle(graph, start, path, cycles);
    }
    assertEquals(List.of(), cycles);
  }

  @Test
  void contract_importsNoAlgorithm() throws IOException {
    assertEquals(Set.of(), imports().get("io.tunelake.optimize"));
  }

  private static void findCycle(Map<String, Set<String>> graph, String start, List<String> path, List<String> cycles) {
    for (String next : graph.getOrDefault(path.get(path.size() - 1), Set.of())) {
      if (next.equals(start)) {
        cycles.add(String.join(" -> ", path) + " -> " + start);
      } else if (!path.contains(next)) {
        path.add(next);
        findCycle(graph, start, path, cycles);
        path.remove(path.size() - 1);
      }
    }
  }
}
