package io.tunelake.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** evaluation.objectives, constraints and select as a spec gives them. */
class ObjectivesSpecTest {
  private static final String OBJECTIVES = "evaluation={objectives: [{metric: areaUnderROC}, "
      + "{metric: predict_ms_per_1k_rows}, {metric: model_size_bytes}], constraints: [{metric: fit_seconds, max: 60}],"
      + " select: {maximize: areaUnderROC, subject_to: {predict_ms_per_1k_rows: {max: 5}}}}";

  @Test
  void objectives_firstIsTheMetric_andEveryNamedMetricIsMeasured() {
    JobSpec spec = JobSpecParser.parse(JobSpecParserTest.VALID, List.of(OBJECTIVES));
    JobSpec.Evaluation e = spec.evaluation();
    assertEquals("areaUnderROC", e.metric());
    assertEquals(List.of("areaUnderROC", "predict_ms_per_1k_rows", "model_size_bytes"), e.objectives().metrics());
    assertEquals("fit_seconds <= 60", e.objectives().constraints().get(0).toString());
    assertEquals("areaUnderROC", e.objectives().select().metric());
    assertTrue(e.objectives().select().maximize());
    assertEquals(List.of("predict_ms_per_1k_rows", "model_size_bytes", "fit_seconds"), e.measured("areaUnderROC"));
  }

  @Test
  void severalObjectives_turnRacingOffByDefault_butAStudyMayAskForIt() {
    String several = "evaluation={objectives: [{metric: areaUnderROC}, {metric: fit_seconds}]}";
    assertFalse(JobSpecParser.parse(JobSpecParserTest.VALID, List.of(several, "search.algorithm=bayes"))
        .search().pruning().enabled());
    assertTrue(JobSpecParser.parse(JobSpecParserTest.VALID,
        List.of(several, "search.algorithm=bayes", "search.pruning=true")).search().pruning().enabled());
    assertTrue(JobSpecParser.parse(JobSpecParserTest.VALID, List.of("search.algorithm=bayes"))
        .search().pruning().enabled());
  }

  @Test
  void metricDisagreeingWithTheFirstObjective_isRejected() {
    SpecException e = JobSpecParserTest.rejected(JobSpecParserTest.VALID,
        "evaluation={metric: accuracy, objectives: [{metric: areaUnderROC}, {metric: fit_seconds}]}");
    assertEquals("evaluation.metric", e.field());
    assertTrue(e.getMessage().contains("the first of evaluation.objectives is 'areaUnderROC'"), e.getMessage());
  }

  @Test
  void repeatedObjective_isRejectedWithItsPosition() {
    SpecException e = JobSpecParserTest.rejected(JobSpecParserTest.VALID,
        "evaluation={objectives: [{metric: areaUnderROC}, {metric: areaUnderROC}]}");
    assertEquals("evaluation.objectives[1].metric", e.field());
  }

  @Test
  void constraintWithoutBound_orWithMinAboveMax_isRejected() {
    SpecException none = JobSpecParserTest.rejected(JobSpecParserTest.VALID,
        "evaluation={constraints: [{metric: fit_seconds}]}");
    assertEquals("evaluation.constraints[0]", none.field());
    assertTrue(none.getMessage().contains("a bound {min: <number>} or {max: <number>} on 'fit_seconds'"),
        none.getMessage());
    SpecException crossed = JobSpecParserTest.rejected(JobSpecParserTest.VALID,
        "evaluation={constraints: [{metric: fit_seconds, min: 9, max: 1}]}");
    assertEquals("evaluation.constraints[0].min", crossed.field());
  }

  @Test
  void selectNeedsExactlyOneDirection() {
    SpecException e = JobSpecParserTest.rejected(JobSpecParserTest.VALID,
        "evaluation={select: {maximize: areaUnderROC, minimize: fit_seconds}}");
    assertEquals("evaluation.select", e.field());
    SpecException unknown = JobSpecParserTest.rejected(JobSpecParserTest.VALID,
        "evaluation={select: {maximize: areaUnderROC, subject_to: {fit_seconds: {below: 3}}}}");
    assertEquals("evaluation.select.subject_to.fit_seconds.below", unknown.field());
  }
}
