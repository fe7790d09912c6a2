package io.tunelake.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.study.StudyDrift;
import io.tunelake.study.StudyException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecFieldsTest {
  static final String SPEC = String.join("\n",
      "study: drift",
      "data: {path: data/adult.csv, label: label}",
      "estimator: logistic_regression",
      "space:",
      "  regParam: {low: 0.001, high: 1.0, log: true}",
      "  family: [auto, binomial]",
      "  maxIter: 20",
      "evaluation: {metric: areaUnderROC}",
      "search: {trials: 10, batch_size: 4}",
      "");

  static JobSpec spec(String... overrides) {
    return JobSpecParser.parse(SPEC, List.of(overrides));
  }

  @Test
  void changes_budgetSearchAndStore_areNoDrift() {
    assertEquals(List.of(), SpecFields.changes(spec(), spec("search.trials=40", "search.batch_size=8",
        "search.algorithm=grid", "store.path=/elsewhere")));
  }

  @Test
  void changes_writingOutADefault_isNoDrift() {
    assertEquals(List.of(), SpecFields.changes(spec(), spec("evaluation.folds=3", "data.test_fraction=0.2",
        "featurize.encoding=onehot")));
  }

  @Test
  void changes_spaceDataPipelineAndMetric_nameEachFieldOldToNew() {
    List<String> changes = SpecFields.changes(spec(), spec("space.regParam={low: 0.01, high: 1.0, log: true}",
        "space.elasticNetParam={low: 0, high: 1}", "space.family=[auto]", "data.path=data/other.csv",
        "featurize.scaling=standard", "estimator=linear_svc", "evaluation.metric=areaUnderPR",
        "evaluation.folds=5"));
    assertEquals(List.of(
        "data.path: data/adult.csv → data/other.csv",
        "featurize.scaling: none → standard",
        "estimator: logistic_regression → linear_svc",
        "space.regParam: {low: 0.001, high: 1, log: true, type: float} → {low: 0.01, high: 1, log: true, type: float}",
        "space.family: [auto, binomial] → [auto]",
        "evaluation.metric: areaUnderROC → areaUnderPR",
        "evaluation.folds: 3 → 5",
        "space.elasticNetParam: (none) → {low: 0, high: 1, type: int}"), changes);
  }

  @Test
  void changes_removedParameter_isNamed() {
    assertEquals(List.of("space.maxIter: 20 → (none)"),
        SpecFields.changes(spec().source(), JobSpecParser.parse(SPEC.replace("  maxIter: 20\n", ""), List.of())));
  }

  @Test
  void refused_isARefusalThatSaysHowToGoOn() {
    StudyException e = StudyDrift.refused("drift", List.of("evaluation.folds: 3 → 5"), "spec, re-run with --continue",
        "give it another name (--set study=NEW_NAME)");
    assertEquals(StudyException.Kind.REFUSED, e.kind());
    assertTrue(e.getMessage().contains("Changed: evaluation.folds: 3 → 5."), e.getMessage());
    assertTrue(e.getMessage().contains("--continue") && e.getMessage().contains("--set study=NEW_NAME"),
        e.getMessage());
  }
}
