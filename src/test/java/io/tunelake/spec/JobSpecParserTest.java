package io.tunelake.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobSpecParserTest {
  static final String VALID = String.join("\n",
      "study: churn",
      "data:",
      "  path: data/adult.csv",
      "estimator: logistic_regression",
      "space:",
      "  regParam: {low: 0.0001, high: 1.0, log: true}",
      "  maxIter: {low: 10, high: 50}",
      "  family: [auto, binomial]",
      "  fitIntercept: true",
      "search:",
      "  trials: 12",
      "  timeout: 30m",
      "");

  static SpecException rejected(String yaml, String... overrides) {
    return assertThrows(SpecException.class, () -> JobSpecParser.parse(yaml, List.of(overrides)));
  }

  @Test
  void parse_validSpec_fillsDefaults() {
    JobSpec spec = JobSpecParser.parse(VALID, List.of());
    assertEquals("churn", spec.study());
    assertEquals("csv", spec.data().format());
    assertEquals("true", spec.data().options().get("header"));
    assertEquals("label", spec.data().label());
    assertEquals(0.2, spec.data().testFraction());
    assertEquals(3, spec.evaluation().folds());
    assertNull(spec.evaluation().metric());
    assertEquals("bayes", spec.search().algorithm());
    assertEquals(12, spec.search().trials());
    assertEquals(Duration.ofMinutes(30), spec.search().timeout());
    assertEquals(JobSpecParser.DEFAULT_STORE, spec.store().path());
    assertEquals(4, spec.space().size());
    ParamSpec maxIter = spec.space().get(1);
    assertEquals(ParamSpec.Kind.RANGE, maxIter.kind());
    assertTrue(maxIter.integral());
    assertEquals(ParamSpec.Kind.CHOICE, spec.space().get(2).kind());
    assertEquals(ParamSpec.Kind.FIXED, spec.space().get(3).kind());
  }

  @Test
  void parse_override_replacesNestedFieldAndIsKeptInSource() {
    JobSpec spec = JobSpecParser.parse(VALID, List.of("search.trials=40", "evaluation.folds=5"));
    assertEquals(40, spec.search().trials());
    assertEquals(5, spec.evaluation().folds());
    assertTrue(spec.source().contains("trials: 40"), spec.source());
  }

  @Test
  void parse_malformedYaml_namesLine() {
    SpecException e = rejected("study: x\ndata: [unclosed\n");
    assertTrue(e.getMessage().contains("not valid YAML at line"), e.getMessage());
  }

  @Test
  void parse_emptySpec_saysWhatIsExpected() {
    SpecException e = rejected("");
    assertTrue(e.getMessage().contains("the job spec is empty"), e.getMessage());
  }

  @Test
  void parse_unknownTopLevelField_suggestsNearest() {
    SpecException e = rejected(VALID + "serach: {trials: 3}\n");
    assertEquals("serach", e.field());
    assertTrue(e.getMessage().contains("did you mean 'search'?"), e.getMessage());
  }

  @Test
  void parse_lowAboveHigh_namesParameterAndBounds() {
    SpecException e = rejected(VALID, "space.regParam={low: 1.0, high: 0.1}");
    assertEquals("space.regParam", e.field());
    assertEquals("field 'space.regParam': `low <= high` must hold, but got low=1, high=0.1; swap them",
        e.getMessage());
  }

  @Test
  void parse_logRangeWithNonPositiveLow_isRejected() {
    SpecException e = rejected(VALID, "space.regParam={low: 0, high: 1, log: true}");
    assertEquals("space.regParam", e.field());
    assertTrue(e.getMessage().contains("a log-scaled range needs low > 0, but got low=0"), e.getMessage());
  }

  @Test
  void parse_foldsBelowTwo_isRejected() {
    SpecException e = rejected(VALID, "evaluation.folds=1");
    assertEquals("evaluation.folds", e.field());
    assertTrue(e.getMessage().contains("expected at least 2 folds"), e.getMessage());
    assertTrue(e.getMessage().contains("but got '1'"), e.getMessage());
  }

  @Test
  void parse_unknownAlgorithm_listsKnownOnes() {
    SpecException e = rejected(VALID, "search.algorithm=grd");
    assertEquals("search.algorithm", e.field());
    assertTrue(e.getMessage().contains("did you mean 'grid'?"), e.getMessage());
  }

  static final String PBT = String.join("\n",
      "study: mlp",
      "data:",
      "  path: data/letter_recognition.csv",
      "estimator: multilayer_perceptron",
      "space:",
      "  stepSize: {low: 0.001, high: 0.5, log: true}",
      "  solver: [l-bfgs, gd]",
      "search:",
      "  algorithm: pbt",
      "  trials: 16",
      "  options: {population: 4, step_iterations: 20}",
      "");

  @Test
  void parse_pbt_acceptsAPerceptronPopulation() {
    JobSpec spec = JobSpecParser.parse(PBT, List.of());
    assertEquals("pbt", spec.search().algorithm());
    assertEquals(Map.of("population", 4, "step_iterations", 20), spec.search().options());
    assertFalse(spec.search().pruning().enabled());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "estimator=random_forest_classifier|estimator|expected an estimator that continues training from its "
          + "weights for search.algorithm pbt: multilayer_perceptron, but got 'random_forest_classifier'",
      "space.maxIter={low: 10, high: 50}|space.maxIter|expected no maxIter in the space of a pbt study",
      "search.trials=10|search.trials|expected a multiple of search.options.population (4) of at least two "
          + "generations for pbt: each generation trains every member one step, but got '10'",
      "search.options.population=1|search.options.population|an integer in [2, 1024]",
      "search.options.quantile=0.7|search.options.quantile|a number in (0, 0.5]",
      "search.pruning=true|search.pruning|expected false for pbt",
      "search.scheduler.type=asha|search.scheduler.type|expected none for pbt"})
  void parse_pbt_badSettings_nameTheFieldAndValue(String override, String field, String message) {
    SpecException e = rejected(PBT, override);
    assertEquals(field, e.field());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void parse_warmStartAuto_choosesBySimilarity_otherWordsAreRefused() {
    assertTrue(JobSpecParser.parse(VALID, List.of("search.warm_start=auto")).search().warmStartAuto());
    assertFalse(JobSpecParser.parse(VALID, List.of("search.warm_start=[auto]")).search().warmStartAuto(),
        "a list names studies, one of them called auto");
    SpecException e = rejected(VALID, "search.warm_start=nearest");
    assertEquals("search.warm_start", e.field());
    assertTrue(e.getMessage().contains("a list of study names, or auto"), e.getMessage());
  }

  @Test
  void parse_missingStudy_isRejected() {
    SpecException e = rejected(VALID.replace("study: churn\n", ""));
    assertEquals("study", e.field());
  }

  @Test
  void parse_bothPathAndTable_isRejected() {
    SpecException e = rejected(VALID, "data.table=db.t");
    assertEquals("data", e.field());
    assertTrue(e.getMessage().contains("exactly one of 'path' and 'table'"), e.getMessage());
  }

  @Test
  void parse_testFractionOfOne_isRejected() {
    SpecException e = rejected(VALID, "data.test_fraction=1.0");
    assertEquals("data.test_fraction", e.field());
  }

  @Test
  void parse_groupStrategyWithoutColumn_isRejected() {
    SpecException e = rejected(VALID, "evaluation.strategy=group");
    assertEquals("evaluation.group_column", e.field());
  }

  @Test
  void parse_badTimeout_isRejected() {
    SpecException e = rejected(VALID, "search.timeout=soon");
    assertEquals("search.timeout", e.field());
    assertTrue(e.getMessage().contains("a duration such as 90s, 30m or 2h"), e.getMessage());
  }

  @Test
  void parse_conditionalParameter_keepsCondition() {
    JobSpec spec = JobSpecParser.parse(VALID, List.of(
        "space.elasticNetParam={low: 0.0, high: 1.0, when: {family: [binomial]}}"));
    ParamSpec p = spec.space().get(4);
    assertEquals("family", p.when().parent());
    assertEquals(List.of("binomial"), p.when().values());
  }

  @Test
  void pruning_onByDefaultForModelBasedSearchOnly_andConfigurable() {
    assertTrue(JobSpecParser.parse(VALID, List.of()).search().pruning().enabled(), "bayes is the default");
    assertEquals(false, JobSpecParser.parse(VALID, List.of("search.algorithm=grid")).search().pruning().enabled());
    JobSpec.Pruning p = JobSpecParser.parse(VALID, List.of("search.algorithm=grid", "search.pruning.confidence=0.95"))
        .search().pruning();
    assertEquals(new JobSpec.Pruning(true, 0.95), p);
    SpecException e = rejected(VALID, "search.pruning.confidence=1.5");
    assertTrue(e.getMessage().contains("search.pruning.confidence") && e.getMessage().contains("1.5"), e.getMessage());
  }

  @Test
  void scheduler_defaultsAndErrorsNameTheField() {
    JobSpec.Schedule none = JobSpecParser.parse(VALID, List.of()).search().schedule();
    assertTrue(none.isNone());
    JobSpec.Schedule asha = JobSpecParser.parse(VALID.replace("maxIter: {low: 10, high: 50}", "maxIter: 90"),
        List.of("search.scheduler.type=asha", "search.scheduler.resource=maxIter")).search().schedule();
    assertEquals(new JobSpec.Schedule("asha", 3, 1.0 / 9, "maxIter"), asha);

    String unknown = rejected(VALID, "search.scheduler.type=bohb").getMessage();
    assertTrue(unknown.contains("search.scheduler.type") && unknown.contains("bohb") && unknown.contains("hyperband"),
        unknown);
    String ranged = rejected(VALID, "search.scheduler.type=asha", "search.scheduler.resource=maxIter").getMessage();
    assertTrue(ranged.contains("search.scheduler.resource") && ranged.contains("maxIter")
        && ranged.contains("fixed whole value"), ranged);
    String single = rejected(VALID, "search.scheduler.type=asha", "search.scheduler.min_budget=0.5").getMessage();
    assertTrue(single.contains("search.scheduler.min_budget") && single.contains("0.5"), single);
    String eta = rejected(VALID, "search.scheduler.type=asha", "search.scheduler.eta=1").getMessage();
    assertTrue(eta.contains("search.scheduler.eta"), eta);
  }

  @Test
  void parse_estimatorList_isAChoiceOfFamilies() {
    JobSpec spec = JobSpecParser.parse(VALID, List.of("estimator=[logistic_regression, gbt_classifier]"));
    assertEquals(List.of("logistic_regression", "gbt_classifier"), spec.estimators().stream().map(StageSpec::name)
        .toList());
    assertTrue(spec.choosesFamily());
    assertEquals("choice[logistic_regression, gbt_classifier]", spec.estimator());
  }

  @Test
  void parse_stageGroupInSpace_isStageDotParam() {
    JobSpec spec = JobSpecParser.parse(VALID, List.of("space.pca.k=[2, 4]"));
    assertEquals("pca.k", spec.space().get(4).name());
    assertEquals(ParamSpec.Kind.CHOICE, spec.space().get(4).kind());
  }

  @Test
  void parse_featurizeAndPipelineBoth_isRejected() {
    SpecException e = rejected(VALID, "featurize.scaling=standard",
        "pipeline=[{stage: vector_assembler, inputCols: [a], outputCol: features}]");
    assertEquals("featurize", e.field());
    assertTrue(e.getMessage().contains("expected one of the two"), e.getMessage());
  }

  @Test
  void parse_evaluatorAndMetricBoth_isRejected() {
    SpecException e = rejected(VALID, "evaluation.metric=f1",
        "evaluation.evaluator={class: multiclass_classification_evaluator, params: {metricName: f1}}");
    assertEquals("evaluation.metric", e.field());
  }

  @Test
  void parse_stageNamedLikeTheFamilyParameter_isRejected() {
    SpecException e = rejected(VALID, "pipeline=[{stage: pca, name: estimator, k: 2}]");
    assertEquals("pipeline[0].name", e.field());
    assertTrue(e.getMessage().contains("names the model family parameter"), e.getMessage());
  }

  @Test
  void declaresGoals_onlyWhenEvaluationSetsObjectivesConstraintsOrSelect() {
    assertFalse(JobSpecParser.declaresGoals(VALID));
    assertFalse(JobSpecParser.declaresGoals("evaluation: {metric: areaUnderROC, also: [accuracy]}"));
    assertTrue(JobSpecParser.declaresGoals("evaluation: {metric: areaUnderROC, objectives: [areaUnderROC, fit_seconds]}"));
    assertTrue(JobSpecParser.declaresGoals("evaluation: {constraints: [{metric: fit_seconds, max: 3}]}"));
    assertTrue(JobSpecParser.declaresGoals("evaluation: {select: {minimize: model_size_bytes}}"));
    assertFalse(JobSpecParser.declaresGoals("objectives: [a, b]"));
    assertFalse(JobSpecParser.declaresGoals("[not, a, mapping"));
  }
}
