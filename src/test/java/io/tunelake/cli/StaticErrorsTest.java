package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error a spec can be caught with before the data is read: {@code tune} rejects it with
 * exit code 2 and one line, before a SparkContext exists, writes nothing, and says exactly what
 * {@code validate} says. The {@code tune} runs share one child JVM ({@link Child}) given a
 * listener that leaves a file when a SparkContext starts; its last run, a valid spec under
 * {@code validate}, shows that the file does appear when Spark starts.
 */
class StaticErrorsTest {
  static final String DATA = SparkTestSession.dataFile("sample_multiclass_classification_data.csv").toString();
  static final String PREFIX = "tunelake: invalid spec: ";
  static Path base;
  static Path spec;
  static ChildCli child;

  static List<List<String>> cases() {
    return List.of(
        List.of("estimator=logistic_regresion"),
        List.of("space.regParm={low: 0.01, high: 1.0}"),
        List.of("space.maxIter={low: 1.5, high: 10}"),
        List.of("evaluation.metric=rmse"),
        List.of("space.elasticNetParam={low: 0.0, high: 1.0, when: {regParm: [0.1]}}"),
        List.of("space.threshold={low: 0.2, high: 1.5}"),
        List.of("space.maxIter={low: 10, high: 50, step: 0}"),
        List.of("search.algorithm=grid", "search.options.grid_point=3"),
        List.of("search.algorithm=tpe", "search.options.startup_trials=many"),
        List.of("data.path=/nonexistent/adult.csv"),
        List.of("store.path=STORE/a-file"),
        List.of("store.path=STORE/a-file/tables"));
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of(0, "field 'estimator': unknown estimator 'logistic_regresion'; did you mean "
            + "'logistic_regression'? Expected one of [logistic_regression, linear_svc, "),
        Arguments.of(1, "field 'space.regParm': unknown parameter of logistic_regression 'regParm'; did you mean "
            + "'regParam'? Expected one of [aggregationDepth, elasticNetParam, "),
        Arguments.of(2, "field 'space.maxIter': expected integer bounds (the parameter takes integers), but got "
            + "'low=1.5, high=10'; use whole numbers"),
        Arguments.of(3, "field 'evaluation.metric': unknown metric for logistic_regression (classification) 'rmse'; "
            + "expected one of [areaUnderROC, areaUnderPR, "),
        Arguments.of(4, "field 'space.elasticNetParam.when': unknown parent parameter 'regParm'; did you mean "
            + "'regParam'? Expected one of [regParam, maxIter]"),
        Arguments.of(5, "field 'space.threshold': expected a valid value for logistic_regression's threshold "
            + "(threshold in binary classification prediction, in range [0, 1]), but got '1.5'"),
        Arguments.of(6, "field 'space.maxIter.step': expected a step > 0 (values low, low + step, ... up to high), "
            + "but got '0'; remove step for a continuous range"),
        Arguments.of(7, "field 'search.options.grid_point': search algorithm 'grid' has no option 'grid_point'; did "
            + "you mean 'grid_points'? expected one of [grid_points]; see the options of 'grid' in "
            + "docs/optimizers.md"),
        Arguments.of(8, "field 'search.options.startup_trials': expected an integer >= 0, but got 'many'; see the "
            + "options of 'tpe' in docs/optimizers.md"),
        Arguments.of(9, "field 'data.path': '/nonexistent/adult.csv' does not exist; expected an existing file or "
            + "directory; relative paths are read from the working directory"),
        Arguments.of(10, "field 'store.path': 'STORE/a-file' is a file; expected a directory for the Delta tables "
            + "and models (or a path that does not exist yet); pass another with --store or store.path"),
        Arguments.of(11, "field 'store.path': 'STORE/a-file/tables' lies under the file 'STORE/a-file'; expected a "
            + "directory for the Delta tables and models (or a path that does not exist yet); pass another with "
            + "--store or store.path"));
  }

  @BeforeAll
  static void runEveryCaseInOneChild() throws Exception {
    base = SparkTestSession.tempDir("static");
    Files.writeString(base.resolve("a-file"), "x");
    spec = base.resolve("spec.yaml");
    Files.writeString(spec, String.join("\n",
        "study: static",
        "data: {path: '" + DATA + "'}",
        "estimator: logistic_regression",
        "space: {regParam: {low: 0.01, high: 1.0}, maxIter: 5}",
        "search: {trials: 1}",
        "store: {path: '" + base.resolve("tables") + "'}",
        ""));
    List<String> lines = new ArrayList<>();
    for (List<String> overrides : cases()) {
      lines.add(String.join("\t", args("tune", overrides)));
    }
    lines.add(String.join("\t", "validate", spec.toString()));
    Files.write(base.resolve("cases.txt"), lines);
    child = ChildCli.startMain(Child.class.getName(),
        List.of("-Dspark.extraListeners=" + SparkStartMarker.class.getName()), base.resolve("cases.txt").toString());
    assertEquals(0, child.await(15), child.tail());
  }

  static List<String> args(String command, List<String> overrides) {
    List<String> args = new ArrayList<>(List.of(command, spec.toString()));
    overrides.forEach(o -> args.addAll(List.of("--set", o.replace("STORE", base.toString()))));
    return args;
  }

  /** What case {@code i} printed: its exit code, whether Spark had started, its stderr. */
  static List<String> result(int i) throws Exception {
    return Files.readAllLines(child.dir.resolve("case-" + i + ".txt"));
  }

  @ParameterizedTest
  @MethodSource("badSpecs")
  void tune_staticError_exitsTwoBeforeSparkAndSaysWhatValidateSays(int i, String message) throws Exception {
    List<String> tune = result(i);
    assertEquals("exit " + ExitCodes.INVALID, tune.get(0), tune.toString());
    assertEquals("spark started: false", tune.get(1), "tune started a SparkContext");
    assertEquals(3, tune.size(), "one line, no stack trace: " + tune);
    assertTrue(tune.get(2).startsWith(PREFIX + message.replace("STORE", base.toString())), tune.get(2));
    assertFalse(Files.exists(base.resolve("tables")), "a store was written");
    assertEquals("x", Files.readString(base.resolve("a-file")));

    TuneCommandTest.Run validate = TuneCommandTest.cli(args("validate", cases().get(i)).toArray(new String[0]));
    assertEquals(ExitCodes.INVALID, validate.code());
    assertEquals(tune.get(2), validate.err().strip());
  }

  @Test
  void validate_validSpec_startsSpark_soTheListenerWouldSeeIt() throws Exception {
    List<String> validate = result(cases().size());
    assertEquals("exit 0", validate.get(0), validate.toString());
    assertEquals("spark started: true", validate.get(1));
  }

  /** Runs each line of a cases file (tab-separated arguments) through the CLI, one result file each. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      List<String> cases = Files.readAllLines(Path.of(args[0]));
      PrintStream err = System.err;
      for (int i = 0; i < cases.size(); i++) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
          code = Main.run(cases.get(i).split("\t"));
        } finally {
          System.setErr(err);
        }
        List<String> out = new ArrayList<>(List.of("exit " + code,
            "spark started: " + Files.exists(Path.of(SparkStartMarker.FILE))));
        captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.contains(" WARN ")).forEach(out::add);
        Files.write(Path.of("case-" + i + ".txt"), out);
      }
      System.exit(0);
    }
  }
}
