package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunelake.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Airflow DAG compiles, and the arguments it passes to spark-submit are ones the CLI accepts. */
@ExtendWith(SparkTestSession.class)
class AirflowDagTest {
  static final Path DAG = Path.of(System.getProperty("tunelake.project.dir", "."), "jobs/airflow/tunelake_dag.py");

  /** Reads APPLICATION_ARGS from the DAG without importing Airflow (python's ast, no execution). */
  static final String EXTRACT = String.join("\n",
      "import ast, json, sys",
      "tree = ast.parse(open(sys.argv[1]).read())",
      "names = {}",
      "for node in tree.body:",
      "    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):",
      "        names[node.targets[0].id] = node.value",
      "def value(n):",
      "    if isinstance(n, ast.Name): return value(names[n.id])",
      "    return ast.literal_eval(n)",
      "print(json.dumps([value(e) for e in names['APPLICATION_ARGS'].elts]))",
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

  @Test
  void dag_compilesWithPython() throws Exception {
    python("-m", "py_compile", DAG.toString());
  }

  @Test
  void dag_applicationArgs_areAcceptedByValidate() throws Exception {
    Path script = SparkTestSession.tempDir("airflow").resolve("extract.py");
    Files.writeString(script, EXTRACT);
    List<String> args = new ObjectMapper().readValue(python(script.toString(), DAG.toString()),
        new TypeReference<List<String>>() {});
    assertEquals("tune", args.get(0));
    Path spec = SparkTestSession.tempDir("airflow").resolve("spec.yaml");
    Files.writeString(spec, String.join("\n",
        "study: nightly",
        "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
        "estimator: logistic_regression",
        "space: {regParam: {low: 0.001, high: 1.0, log: true}}",
        ""));
    List<String> validate = new ArrayList<>();
    validate.add("validate");
    for (String a : args.subList(1, args.size())) {
      // Airflow renders these Jinja templates at run time; give them the values it would.
      validate.add(a.replaceAll("\\{\\{ var\\.value\\.get\\('tunelake_spec'.*?}}", spec.toString())
          .replaceAll("\\{\\{ var\\.value\\.get\\('tunelake_store'.*?}}", SparkTestSession.tempDir("store").toString())
          .replace("{{ ds_nodash }}", "20260101"));
    }
    TuneCommandTest.Run run = TuneCommandTest.cli(validate.toArray(new String[0]));
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("is valid"), run.out());
  }
}
