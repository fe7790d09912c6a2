package io.tunelake.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import io.tunelake.spec.JobSpec;
import io.tunelake.spec.JobSpecParser;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSession.class)
class SparkFoldsTest {
  static final Path LETTERS = SparkTestSession.headOf("letter_recognition.csv", 2000);

  static SparkStudyPlan plan(Dataset<Row> data, String... overrides) {
    String yaml = String.join("\n",
        "study: folds-test",
        "data: {path: '" + LETTERS + "', test_fraction: 0.2}",
        "estimator: decision_tree_classifier",
        "space: {maxDepth: {low: 2, high: 4}}",
        "evaluation: {folds: 5}",
        "");
    JobSpec spec = JobSpecParser.parse(yaml, List.of(overrides));
    return SparkStudyPlan.resolve(spec, data);
  }

  static Dataset<Row> letters() {
    SparkSession spark = SparkTestSession.get();
    return spark.read().option("header", "true").option("inferSchema", "true").csv(LETTERS.toString());
  }

  @Test
  void split_stratified_dealsEachClassEvenlyWithinOne() {
    Dataset<Row> data = letters();
    SparkFolds.Split split = SparkFolds.split(SparkTestSession.get(), plan(data), data, 7);
    try {
      Map<Double, long[]> perClass = new HashMap<>();
      for (Row r : split.assigned().groupBy(col("label").cast("double"), col(SparkFolds.FOLD)).count().collectAsList()) {
        perClass.computeIfAbsent(r.getDouble(0), k -> new long[5])[r.getInt(1)] = r.getLong(2);
      }
      assertEquals(26, perClass.size());
      perClass.forEach((label, counts) -> {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (long c : counts) {
          lo = Math.min(lo, c);
          hi = Math.max(hi, c);
        }
        assertTrue(hi - lo <= 1, "class " + label + " per fold: " + java.util.Arrays.toString(counts));
      });
    } finally {
      split.release();
    }
  }

  @Test
  void split_stratified_foldIsTheRowsRankInItsClassByKey_moduloFolds() {
    Dataset<Row> data = letters();
    SparkFolds.Split split = SparkFolds.split(SparkTestSession.get(), plan(data), data, 7);
    try {
      Dataset<Row> rows = split.assigned().drop(SparkFolds.FOLD);
      // As multisets: identical rows share a key, so their order among themselves is arbitrary.
      Dataset<Row> expected = rows.withColumn("key", SparkFolds.uniform(rows, 8))
          .withColumn(SparkFolds.FOLD, functions.pmod(functions.row_number()
              .over(Window.partitionBy(col("label")).orderBy(col("key"))).minus(1), functions.lit(5)).cast("int"))
          .drop("key");
      assertEquals(0, split.assigned().exceptAll(expected).count(), "rows whose fold is not their class rank mod 5");
      assertEquals(0, expected.exceptAll(split.assigned()).count());
    } finally {
      split.release();
    }
  }

  @Test
  void split_heldOutRows_neverReachAFold() {
    Dataset<Row> data = letters();
    SparkFolds.Split split = SparkFolds.split(SparkTestSession.get(), plan(data), data, 7);
    try {
      long total = data.count();
      long test = split.test().count();
      long assigned = split.assigned().count();
      assertEquals(total, test + assigned);
      assertTrue(test > 300 && test < 500, "about 20 % held out, got " + test);
      for (int i = 0; i < split.folds(); i++) {
        Dataset<Row> fold = split.trainOf(i).drop(SparkFolds.FOLD).union(split.validationOf(i).drop(SparkFolds.FOLD));
        assertEquals(0, fold.intersect(split.test()).count(), "fold " + i + " holds held-out rows");
        assertEquals(assigned, fold.count());
      }
    } finally {
      split.release();
    }
  }

  @Test
  void split_sameSeed_givesSameFolds() {
    Dataset<Row> data = letters();
    SparkStudyPlan plan = plan(data);
    SparkFolds.Split a = SparkFolds.split(SparkTestSession.get(), plan, data, 11);
    SparkFolds.Split b = SparkFolds.split(SparkTestSession.get(), plan, data, 11);
    try {
      assertEquals(0, a.assigned().except(b.assigned()).count());
      assertEquals(0, a.test().except(b.test()).count());
    } finally {
      a.release();
      b.release();
    }
  }

  @Test
  void split_timeOrdered_validatesOnRowsAfterTheTrainingRows() {
    Dataset<Row> data = letters();
    SparkStudyPlan plan = plan(data, "estimator=decision_tree_regressor", "evaluation.strategy=time",
        "evaluation.order_column=x_box", "evaluation.folds=3");
    SparkFolds.Split split = SparkFolds.split(SparkTestSession.get(), plan, data, 3);
    try {
      for (int i = 0; i < 3; i++) {
        Row train = split.trainOf(i).agg(max("x_box")).first();
        Row validation = split.validationOf(i).agg(min("x_box")).first();
        assertTrue(train.getInt(0) <= validation.getInt(0), "fold " + i);
        assertTrue(split.validationOf(i).count() > 0);
      }
    } finally {
      split.release();
    }
  }

  @Test
  void split_timeOrdered_holdsOutTheLatestRows() {
    Dataset<Row> data = letters();
    SparkStudyPlan plan = plan(data, "estimator=decision_tree_regressor", "evaluation.strategy=time",
        "evaluation.order_column=x_box", "evaluation.folds=3");
    SparkFolds.Split split = SparkFolds.split(SparkTestSession.get(), plan, data, 3);
    try {
      long total = data.count();
      assertEquals(Math.round(total * 0.2), split.test().count());
      assertEquals(total, split.test().count() + split.assigned().count());
      int latestTraining = split.train().agg(max("x_box")).first().getInt(0);
      int earliestTest = split.test().agg(min("x_box")).first().getInt(0);
      assertTrue(latestTraining <= earliestTest, "training rows up to x_box " + latestTraining
          + ", test rows from " + earliestTest);
      assertEquals(0, split.train().where(col("x_box").gt(earliestTest)).count(), "a later row was trained on");
    } finally {
      split.release();
    }
  }

  @Test
  void split_group_holdsOutWholeGroups() {
    Dataset<Row> data = letters();
    SparkStudyPlan plan = plan(data, "evaluation.strategy=group", "evaluation.group_column=x_box",
        "evaluation.folds=3");
    SparkFolds.Split split = SparkFolds.split(SparkTestSession.get(), plan, data, 5);
    try {
      Dataset<Row> testGroups = split.test().select("x_box").distinct();
      assertTrue(testGroups.count() > 0, "no group held out");
      assertEquals(0, split.train().select("x_box").distinct().intersect(testGroups).count(),
          "a group has rows on both sides");
      assertEquals(data.count(), split.test().count() + split.assigned().count());
    } finally {
      split.release();
    }
  }
}
