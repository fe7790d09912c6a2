package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunelake.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Airflow DAG compiles, its tune task's arguments run a study, and its check task reads the
 * best trial from the store with {@code best --json} and judges it by the threshold.
 */
@ExtendWith(SparkTestSession.class)
class AirflowDagTest {
  static final Path DAG = Path.of(System.getProperty("tunelake.project.dir", "."), "jobs/airflow/tunelake_dag.py");

  /**
   * Prints the DAG's argument lists as JSON, and defines its check function, without importing
   * Airflow (python's ast: only constants, string concatenation, the imports and that function run).
   */
  static final String DAG_PARTS = String.join("\n",
      "import ast, json, sys",
      "tree = ast.parse(open(sys.argv[1]).read())",
      "names = {}",
      "for node in tree.body:",
      "    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):",
      "        names[node.targets[0].id] = node.value",
      "def value(n):",
      "    if isinstance(n, ast.Name): return value(names[n.id])",
      "    if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add): return value(n.left) + value(n.right)",
      "    if isinstance(n, ast.List): return [value(e) for e in n.elts]",
      "    return ast.literal_eval(n)",
      "kept = [n for n in tree.body if isinstance(n, ast.Import)",
      "        or (isinstance(n, ast.FunctionDef) and n.name == 'check_best_score')]",
      "exec(compile(ast.Module(body=kept, type_ignores=[]), sys.argv[1], 'exec'))",
      "");

  static String python(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("python3"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  /** Runs {@code code} after DAG_PARTS, with sys.argv[2..] as given. */
  static String pythonWithDag(String code, String... args) throws Exception {
    Path script = SparkTestSession.tempDir("airflow").resolve("dag_parts.py");
    Files.writeString(script, DAG_PARTS + code + "\n");
    List<String> all = new ArrayList<>(List.of(script.toString(), DAG.toString()));
    all.addAll(List.of(args));
    return python(all.toArray(new String[0]));
  }

  @Test
  void dag_compilesWithPython() throws Exception {
    // compile() rather than py_compile: nothing is written beside the DAG.
    python("-c", "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')", DAG.toString());
  }

  @Test
  void dag_tuneThenCheck_readsTheBestTrialFromTheStore() throws Exception {
    Map<String, List<String>> lists = new ObjectMapper().readValue(
        pythonWithDag("print(json.dumps({k: value(names[k]) for k in ['APPLICATION_ARGS', 'BEST_ARGS']}))"),
        new TypeReference<Map<String, List<String>>>() {});
    Path spec = TuneCommandTest.spec(String.join("\n",
        "study: nightly",
        "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
        "estimator: logistic_regression",
        "space: {regParam: {low: 0.001, high: 1.0, log: true}, maxIter: 10}",
        "evaluation: {metric: accuracy, folds: 2}",
        "search: {algorithm: random, trials: 2, batch_size: 2, seed: 3}",
        ""));
    Path store = SparkTestSession.tempDir("store");
    List<String> tuneArgs = rendered(lists.get("APPLICATION_ARGS"), spec, store);
    assertEquals("tune", tuneArgs.get(0));
    TuneCommandTest.Run tune = TuneCommandTest.cli(tuneArgs.toArray(new String[0]));
    assertEquals(0, tune.code(), tune.err());

    List<String> bestArgs = rendered(lists.get("BEST_ARGS"), spec, store);
    TuneCommandTest.Run best = TuneCommandTest.cli(bestArgs.toArray(new String[0]));
    assertEquals(0, best.code(), best.err());
    Path bestOut = SparkTestSession.tempDir("airflow").resolve("best.json");
    Files.writeString(bestOut, best.out());

    // The check task's function, fed what `best --json` printed for the study the tune task ran.
    String check = String.join("\n",
        "cat = ['cat', sys.argv[2]]",
        "print(json.dumps(check_best_score(cat, 0.0)))",
        "for command, score in [(cat, 1.01), (['false'], 0.0)]:",
        "    try:",
        "        check_best_score(command, score)",
        "    except Exception as e:",
        "        print(type(e).__name__ + ': ' + str(e))");
    List<String> lines = pythonWithDag(check, bestOut.toString()).lines().toList();
    assertEquals(3, lines.size(), String.join("\n", lines));
    JsonNode passed = new ObjectMapper().readTree(lines.get(0));
    String study = tuneArgs.get(tuneArgs.indexOf("--set") + 1).replaceFirst("^study=", "");
    assertEquals(study, passed.get("study").asText(), "the check reads the study the tune task ran");
    assertEquals("accuracy", passed.get("metric").asText());
    assertEquals("MAXIMIZE", passed.get("direction").asText());
    double mean = passed.get("mean").asDouble();
    assertTrue(mean > 0.5 && mean <= 1.0, lines.get(0));
    String missed = lines.get(1);
    assertTrue(missed.startsWith("ValueError: best accuracy ") && missed.endsWith(" misses the threshold 1.01"),
        missed);
    assertEquals(mean, Double.parseDouble(missed.split(" ")[3]), 1e-12, missed);
    assertTrue(lines.get(2).startsWith("RuntimeError: tunelake best exited 1"), lines.get(2));
  }

  /** The values Airflow gives the DAG's Jinja templates at run time. */
  static List<String> rendered(List<String> args, Path spec, Path store) {
    return args.stream()
        .map(a -> a.replaceAll("\\{\\{ var\\.value\\.get\\('tunelake_spec'.*?}}", spec.toString())
            .replaceAll("\\{\\{ var\\.value\\.get\\('tunelake_store'.*?}}", store.toString())
            .replace("{{ ds_nodash }}", "20260101"))
        .toList();
  }
}
