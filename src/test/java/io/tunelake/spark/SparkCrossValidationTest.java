package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import io.tunelake.optimize.TrialStatus;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.JobSpecParser;
import io.tunelake.study.Evaluation;
import io.tunelake.study.Suggestion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSession.class)
class SparkCrossValidationTest {
  static final Path ADULT = SparkTestSession.headOf("adult.csv", 3000);
  static final Map<String, Object> GOOD = Map.of("regParam", 1e-3, "elasticNetParam", 0.0, "maxIter", 10);
  /** So much L1 that every coefficient is zero: AUC 0.5 on every fold. */
  static final Map<String, Object> HOPELESS = Map.of("regParam", 1.0, "elasticNetParam", 1.0, "maxIter", 10);

  /** Records the description of every job started in a job group of the study. */
  static final class Jobs extends SparkListener {
    final List<String> descriptions = Collections.synchronizedList(new ArrayList<>());
    final List<String> fused = Collections.synchronizedList(new ArrayList<>());
    final List<String> fusedDescriptions = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      String group = start.properties().getProperty("spark.jobGroup.id");
      if (group != null && group.startsWith("tunelake-race-test-trial-")) {
        descriptions.add(group + ": " + start.properties().getProperty("spark.job.description"));
      } else if (group != null && group.startsWith("tunelake-race-test-fused-")) {
        fused.add(group);
        fusedDescriptions.add(start.properties().getProperty("spark.job.description"));
      }
    }

    /** The fused passes' trials on fold {@code fold} (1-based), from their descriptions. */
    List<Integer> fusedTrialsOn(int fold) {
      List<Integer> out = new ArrayList<>();
      Pattern p = Pattern.compile("trials \\[([0-9, ]+)\\], fold ([0-9, ]+) of");
      for (String d : fusedDescriptions) {
        Matcher m = p.matcher(d);
        if (m.find() && List.of(m.group(2).split(", ")).contains(Integer.toString(fold))) {
          for (String t : m.group(1).split(", ")) {
            out.add(Integer.parseInt(t));
          }
        }
      }
      return out;
    }

    long count(int trial, String fold) {
      return descriptions.stream().filter(d -> d.startsWith("tunelake-race-test-trial-" + trial + "-")
          && d.contains(fold)).count();
    }
  }

  static SparkCrossValidation objective(String... overrides) {
    return objective("race-test", "logistic_regression", "{regParam: {low: 1.0e-4, high: 1.0, log: true}, "
        + "elasticNetParam: {low: 0, high: 1}, maxIter: 10}", "{pruning: true, fused_fits: false}", 1, overrides);
  }

  /** The prepared objective of a 3-fold study of {@code estimator} on the head of adult.csv. */
  static SparkCrossValidation objective(String study, String estimator, String space, String search, int parallelism,
      String... overrides) {
    SparkSession spark = SparkTestSession.get();
    String yaml = String.join("\n",
        "study: " + study,
        "data: {path: '" + ADULT + "', label: label, test_fraction: 0.2}",
        "estimator: " + estimator,
        "space: " + space,
        "evaluation: {metric: areaUnderROC, folds: 3}",
        "search: " + search,
        "");
    JobSpec spec = JobSpecParser.parse(yaml, List.of(overrides));
    Dataset<Row> data = SparkData.load(spark, spec.data());
    SparkStudyPlan plan = SparkStudyPlan.resolve(spec, data);
    SparkFolds.Split split = SparkFolds.split(spark, plan, data, 42);
    return SparkCrossValidation.prepare(spark, plan, split, parallelism, 42, Clock.systemUTC());
  }

  @Test
  void aHopelessTrialIsPrunedAfterItsFirstFold_andItsOtherFoldsNeverRun() {
    Jobs jobs = new Jobs();
    SparkSession spark = SparkTestSession.get();
    spark.sparkContext().addSparkListener(jobs);
    try (SparkCrossValidation cv = objective()) {
      List<Suggestion> batch = List.of(new Suggestion(1, 1, GOOD), new Suggestion(2, 1, Map.of("regParam", 1e-2,
          "elasticNetParam", 0.0, "maxIter", 10)), new Suggestion(3, 1, HOPELESS), new Suggestion(4, 1, GOOD));
      List<Evaluation> out = cv.evaluate(batch, List.of());
      assertEquals(List.of(TrialStatus.COMPLETE, TrialStatus.COMPLETE, TrialStatus.PRUNED, TrialStatus.COMPLETE),
          out.stream().map(Evaluation::status).toList(), out.toString());
      assertEquals(1, out.get(2).foldMetrics().size(), "pruned after the first fold: " + out.get(2));
      assertEquals(0.5, out.get(2).foldMetrics().get(0), 1e-9);
      assertEquals(3, out.get(0).foldMetrics().size());
    } finally {
      spark.sparkContext().removeSparkListener(jobs);
    }
    assertTrue(jobs.count(3, "fold 1/3") > 0, "the hopeless trial's first fold ran: " + jobs.descriptions);
    assertEquals(0, jobs.count(3, "fold 2/3") + jobs.count(3, "fold 3/3"), "no job of its later folds started");
  }

  @Test
  void theCachedFoldsAreReadFromScratchUnderTheStore_withTheirFeatureMetadata_andCloseDeletesThem() throws Exception {
    Path store = SparkTestSession.tempDir("scratch-store");
    Path scratch = store.resolve("_scratch");
    try (SparkCrossValidation cv = objective("store.path=" + store)) {
      List<Path> dirs;
      try (Stream<Path> s = Files.list(scratch)) {
        dirs = s.toList();
      }
      assertEquals(1, dirs.size(), dirs.toString());
      assertTrue(dirs.get(0).getFileName().toString().startsWith("race-test-"), dirs.toString());
      List<String> names;
      try (Stream<Path> files = Files.list(dirs.get(0))) {
        names = files.map(f -> f.getFileName().toString()).sorted().toList();
      }
      assertEquals(List.of("fold-0-train", "fold-0-validation", "fold-1-train", "fold-1-validation", "fold-2-train",
          "fold-2-validation"), names);
      for (FoldData fold : cv.folds()) {
        // A short lineage: the fits' tasks read the scratch files, not the CSV through the featurizer.
        assertTrue(List.of(fold.train().inputFiles()).stream().allMatch(f -> f.contains("/_scratch/")),
            List.of(fold.train().inputFiles()).toString());
        assertTrue(fold.featureCount() > 14, "one-hot features: " + fold.featureCount());
        assertEquals(fold.featureCount(), SparkPipelines.featureCount(fold.train()), "attributes survive the files");
      }
      List<Evaluation> out = cv.evaluate(List.of(new Suggestion(1, 1, GOOD)), List.of());
      assertEquals(TrialStatus.COMPLETE, out.get(0).status(), out.toString());
    }
    try (Stream<Path> left = Files.list(scratch)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void twoFitsPerTaskSlot_unlessFewerAreAsked() {
    SparkSession spark = SparkTestSession.get();
    assertEquals(2, SparkSlots.taskSlots(spark), "local[2]");
    assertEquals(4, SparkSlots.concurrentFits(spark, 0));
    assertEquals(3, SparkSlots.concurrentFits(spark, 3));
    assertEquals(4, SparkSlots.concurrentFits(spark, 9), "capped at two per slot");
  }

  @Test
  void aCachedFoldHasOnePartitionPerMillionRows_theLoneRefitOnePerSlotWhenTasksHaveRowsEnough() {
    assertEquals(1, SparkScratch.partitions(26_000));
    assertEquals(3, SparkScratch.partitions(2_500_000));
    assertEquals(1, SparkScratch.spread(39_000, 2), "adult.csv: one task does it faster than two");
    assertEquals(2, SparkScratch.spread(800_000, 2));
    assertEquals(8, SparkScratch.spread(800_000, 64), "never under 100k rows a task");
  }

  @Test
  void withoutPruningEveryTrialRunsEveryFold() {
    try (SparkCrossValidation cv = objective("search.pruning=false")) {
      List<Evaluation> out = cv.evaluate(List.of(new Suggestion(1, 1, GOOD), new Suggestion(2, 1, HOPELESS),
          new Suggestion(3, 1, GOOD)), List.of());
      out.forEach(e -> assertEquals(TrialStatus.COMPLETE, e.status()));
      out.forEach(e -> assertEquals(3, e.foldMetrics().size()));
    }
  }

  @Test
  void aReducedIterationBudgetFitsWithFewerIterations() {
    Jobs jobs = new Jobs();
    SparkSession spark = SparkTestSession.get();
    spark.sparkContext().addSparkListener(jobs);
    try (SparkCrossValidation cv = objective("search.pruning=false", "search.scheduler.type=asha",
        "search.scheduler.resource=maxIter")) {
      List<Evaluation> out = cv.evaluate(List.of(new Suggestion(1, 1, GOOD, 1.0, null), new Suggestion(2, 1, GOOD, 0.2, null)),
          List.of());
      out.forEach(e -> assertEquals(TrialStatus.COMPLETE, e.status(), e.toString()));
    } finally {
      spark.sparkContext().removeSparkListener(jobs);
    }
    long full = jobs.count(1, "fold");
    long fifth = jobs.count(2, "fold");
    assertTrue(fifth < full, "maxIter 2 instead of 10 runs fewer jobs: " + fifth + " vs " + full);
  }

  @Test
  void fusedFits_scoreEveryFoldAsOneFitAtATimeDoes_inAFractionOfTheJobs() {
    List<Suggestion> batch = List.of(new Suggestion(1, 1, GOOD), new Suggestion(2, 1, HOPELESS),
        new Suggestion(3, 1, Map.of("regParam", 0.05, "elasticNetParam", 0.5, "maxIter", 10)));
    Jobs jobs = new Jobs();
    SparkSession spark = SparkTestSession.get();
    spark.sparkContext().addSparkListener(jobs);
    List<Evaluation> single;
    List<Evaluation> fused;
    try {
      try (SparkCrossValidation cv = objective("search.pruning=false")) {
        single = cv.evaluate(batch, List.of());
      }
      try (SparkCrossValidation cv = objective("search.pruning=false", "search.fused_fits=true")) {
        fused = cv.evaluate(batch, List.of());
      }
    } finally {
      spark.sparkContext().removeSparkListener(jobs);
    }
    for (int i = 0; i < batch.size(); i++) {
      assertEquals(TrialStatus.COMPLETE, fused.get(i).status(), fused.get(i).toString());
      assertEquals(3, fused.get(i).foldMetrics().size());
      for (int f = 0; f < 3; f++) {
        assertEquals(single.get(i).foldMetrics().get(f), fused.get(i).foldMetrics().get(f), 1e-9,
            "trial " + (i + 1) + " fold " + (f + 1));
      }
    }
    assertEquals(0.5, fused.get(1).foldMetrics().get(0), 1e-9, "all coefficients zero, as MLlib fits them");
    long one = jobs.descriptions.size();
    long all = jobs.fused.size();
    assertTrue(all > 0, "the fused trials ran in their own job groups");
    assertTrue(all * 3 < one, "fused: " + all + " jobs, one at a time: " + one);
  }

  @Test
  void aHopelessFusedTrialIsPruned_leavesItsLockstepGroup_andItsLaterFoldsAreNeverFitted() {
    Jobs jobs = new Jobs();
    SparkSession spark = SparkTestSession.get();
    spark.sparkContext().addSparkListener(jobs);
    try (SparkCrossValidation cv = objective("search.fused_fits=true")) {
      List<Suggestion> batch = List.of(new Suggestion(1, 1, GOOD), new Suggestion(2, 1, Map.of("regParam", 1e-2,
          "elasticNetParam", 0.0, "maxIter", 10)), new Suggestion(3, 1, HOPELESS), new Suggestion(4, 1, GOOD));
      List<Evaluation> out = cv.evaluate(batch, List.of());
      assertEquals(List.of(TrialStatus.COMPLETE, TrialStatus.COMPLETE, TrialStatus.PRUNED, TrialStatus.COMPLETE),
          out.stream().map(Evaluation::status).toList(), out.toString());
      assertTrue(out.get(2).foldMetrics().size() < 3, "pruned before its last fold: " + out.get(2));
      assertEquals(0.5, out.get(2).foldMetrics().get(0), 1e-9);
      assertEquals(3, out.get(0).foldMetrics().size());
    } finally {
      spark.sparkContext().removeSparkListener(jobs);
    }
    assertTrue(jobs.fusedTrialsOn(1).contains(3), "its first fold was fitted, fused: " + jobs.fusedDescriptions);
    assertEquals(List.of(1, 2, 4), jobs.fusedTrialsOn(3).stream().distinct().sorted().toList(),
        "no pass of the last fold fitted the pruned trial: " + jobs.fusedDescriptions);
  }
}
