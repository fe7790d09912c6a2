package io.tunelake.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.tunelake.spec.SpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Splits the data once into held-out test rows and training rows, and gives every training row
 * its fold. Both depend only on the row's content and the seed (a 64-bit hash), not on how the
 * data is partitioned, so a re-run or a resumed study sees the same split; identical rows land
 * on the same side, so duplicates never leak from training into the test.
 *
 * <p>The held-out test rows respect the strategy: for {@code time} they are the latest rows by
 * the order column (the fold assignment then cuts the earlier rows), for {@code group} whole
 * groups (no group has rows on both sides); otherwise a hash sample of rows.
 *
 * <p>Fold ids are "blocks": k-fold, stratified and group strategies validate on block i and
 * train on the others; the time-ordered strategy cuts the rows in order into k + 1 blocks and
 * validates on block i + 1 after training on blocks 0..i (forward chaining); the holdout
 * strategy trains on block 0 and validates on block 1; the fold-column strategy takes each row's
 * block from a column the user filled. K-fold and stratified folds are exact:
 * rows are sorted by (class, hash) and dealt round-robin, so each class's count per fold is
 * within one of even.
 */
public final class SparkFolds {
  /** The column that holds a training row's block. */
  public static final String FOLD = "tl_fold";
  /** The strategy whose folds are a column of the data (the API's {@code foldCol}), named by {@code Columns.group}. */
  public static final String FOLD_COLUMN = "fold_column";
  private static final String KEY = "tl_key";
  private static final String BUCKET = "tl_bucket";
  private static final String OFFSET = "tl_offset";
  private static final long HASH_RANGE = 1L << 40;

  /** The split of a study's data. {@code assigned} holds the training rows with their block, cached. */
  public record Split(Dataset<Row> train, Dataset<Row> test, Dataset<Row> assigned, int folds, String strategy) {

    /** The training rows of fold {@code i} (0-based). */
    public Dataset<Row> trainOf(int i) {
      return assigned.where(trainCondition(i));
    }

    /** The validation rows of fold {@code i} (0-based). */
    public Dataset<Row> validationOf(int i) {
      return assigned.where(validationCondition(i));
    }

    Column trainCondition(int i) {
      switch (strategy) {
        case "time":
          return col(FOLD).leq(i);
        case "holdout":
          return col(FOLD).equalTo(0);
        default:
          return col(FOLD).notEqual(i);
      }
    }

    Column validationCondition(int i) {
      switch (strategy) {
        case "time":
          return col(FOLD).equalTo(i + 1);
        case "holdout":
          return col(FOLD).equalTo(1);
        default:
          return col(FOLD).equalTo(i);
      }
    }

    /**
     * How many training and validation rows each fold has ({@code [fold][0]} and
     * {@code [fold][1]}), counted in one job for every fold.
     */
    public long[][] sizes() {
      List<Column> counts = new ArrayList<>();
      for (int i = 0; i < folds; i++) {
        counts.add(functions.count(when(trainCondition(i), lit(1))));
        counts.add(functions.count(when(validationCondition(i), lit(1))));
      }
      Row r = assigned.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).first();
      long[][] out = new long[folds][2];
      for (int i = 0; i < folds; i++) {
        out[i][0] = r.getLong(2 * i);
        out[i][1] = r.getLong(2 * i + 1);
      }
      return out;
    }

    /** Drops the cached rows. */
    public void release() {
      assigned.unpersist();
    }
  }

  private SparkFolds() {}

  /** A uniform number in [0, 1) from the row's content and {@code seed}. */
  static Column uniform(Dataset<Row> data, long seed) {
    List<Column> cols = new ArrayList<>();
    cols.add(lit(seed));
    for (String c : data.columns()) {
      cols.add(col(c));
    }
    return pmod(xxhash64(cols.toArray(new Column[0])), lit(HASH_RANGE)).cast("double").divide((double) HASH_RANGE);
  }

  /**
   * Whether a row is held out for the final test, for every strategy but {@code time} (whose test
   * rows are the latest, a matter of position): a hash of the row, or of its group for
   * {@code group}, below {@code testFraction}.
   */
  static Column heldOut(Dataset<Row> data, String strategy, String group, double testFraction, long seed) {
    if (strategy.equals("group")) {
      return pmod(xxhash64(lit(seed), lit("test"), col(group)), lit(HASH_RANGE)).cast("double")
          .divide((double) HASH_RANGE).lt(testFraction);
    }
    return uniform(data, seed).lt(testFraction);
  }

  /** How many of {@code rows} rows the {@code time} strategy holds out: the latest ones. */
  static long timeTestRows(long rows, double testFraction) {
    return Math.round(rows * testFraction);
  }

  /**
   * Splits {@code data} (already narrowed to the study's columns) and assigns folds. A fold that
   * could not score a model (no rows, or one class of a classifier's label on a side) is a spec
   * error raised here, before anything is stored.
   */
  public static Split split(SparkSession spark, SparkStudyPlan plan, Dataset<Row> data, long seed) {
    double testFraction = plan.spec().data().testFraction();
    int k = plan.folds();
    Dataset<Row> train;
    Dataset<Row> test;
    Dataset<Row> assigned;
    if (plan.strategy().equals("time")) {
      Dataset<Row> dealt = dealt(spark, plan, data, seed, k);
      test = dealt.where(col(FOLD).lt(0)).drop(FOLD);
      assigned = dealt.where(col(FOLD).geq(0));
      train = assigned.drop(FOLD);
    } else {
      Column held = heldOut(data, plan.strategy(), plan.columns().group(), testFraction, seed);
      train = data.where(functions.not(held));
      test = data.where(held);
      switch (plan.strategy()) {
        case "group":
          assigned = train.withColumn(FOLD, pmod(hash(lit(seed), col(plan.columns().group())), lit(k)).cast("int"));
          break;
        case FOLD_COLUMN:
          // The user's own fold ids, as CrossValidator's foldCol: row i validates in fold i.
          assigned = train.withColumn(FOLD, col(plan.columns().group()).cast("int"));
          break;
        case "holdout":
          assigned = train.withColumn(FOLD, when(uniform(train, seed + 1).lt(plan.spec().evaluation()
              .validationFraction()), lit(1)).otherwise(lit(0)));
          break;
        case "stratified":
          assigned = dealtByClass(spark, plan, train, seed, k);
          break;
        default:
          assigned = dealt(spark, plan, train, seed, k);
      }
    }
    int partitions = Math.max(2, spark.sparkContext().defaultParallelism());
    assigned = assigned.repartition(partitions).persist(StorageLevel.MEMORY_AND_DISK());
    Split split = new Split(train, test, assigned, k, plan.strategy());
    // Stratified folds, and k-fold folds without classes, follow from the counts the plan checked.
    boolean provable = plan.strategy().equals("stratified")
        || (plan.strategy().equals("kfold") && plan.task() != Task.CLASSIFICATION);
    if (!provable) {
      try {
        checkFolds(plan, split);
      } catch (RuntimeException e) {
        split.release();
        throw e;
      }
    }
    return split;
  }

  /** Every fold has rows on both sides and, for a classifier, at least two classes on each. */
  private static void checkFolds(SparkStudyPlan plan, Split split) {
    String label = plan.task() == Task.CLASSIFICATION ? plan.columns().label() : null;
    Column cls = label == null ? lit(0.0) : col(label).cast("double");
    Map<Integer, Map<Double, Long>> blocks = new TreeMap<>();
    for (Row r : split.assigned().groupBy(col(FOLD), cls).count().collectAsList()) {
      blocks.computeIfAbsent(r.getInt(0), b -> new TreeMap<>()).merge(r.getDouble(1), r.getLong(2), Long::sum);
    }
    for (int i = 0; i < split.folds(); i++) {
      Map<Double, Long> trainSide = new TreeMap<>();
      Map<Double, Long> validationSide = new TreeMap<>();
      for (Map.Entry<Integer, Map<Double, Long>> b : blocks.entrySet()) {
        int block = b.getKey();
        boolean validation = split.strategy().equals("time") ? block == i + 1
            : split.strategy().equals("holdout") ? block == 1 : block == i;
        boolean training = split.strategy().equals("time") ? block <= i
            : split.strategy().equals("holdout") ? block == 0 : block != i;
        if (validation) {
          b.getValue().forEach((c, n) -> validationSide.merge(c, n, Long::sum));
        }
        if (training) {
          b.getValue().forEach((c, n) -> trainSide.merge(c, n, Long::sum));
        }
      }
      checkSide(plan, split, i, "training", trainSide, label != null);
      checkSide(plan, split, i, "validation", validationSide, label != null);
    }
  }

  private static void checkSide(SparkStudyPlan plan, Split split, int fold, String side, Map<Double, Long> classes,
      boolean classifier) {
    String problem = null;
    if (classes.isEmpty()) {
      problem = "no rows";
    } else if (classifier && classes.size() < 2) {
      problem = "only class " + SpecException.number(classes.keySet().iterator().next());
    }
    if (problem != null) {
      String hint = split.strategy().equals("group") ? " (fewer groups in '" + plan.columns().group()
          + "' than folds?)" : "";
      throw SpecException.badFold(split.strategy(), fold + 1, split.folds(), side, problem + hint);
    }
  }

  /**
   * Deals each class's rows round-robin in key order: a row's block is its rank among its
   * class's rows by key, modulo {@code k}. The key's range is cut into buckets so that the ranks
   * are computed by one task per (class, bucket) rather than one task per class, which would put
   * a whole class on one executor: a row's rank is the count of its class's rows in lower buckets
   * (a small aggregate, broadcast) plus its rank within its bucket.
   */
  private static Dataset<Row> dealtByClass(SparkSession spark, SparkStudyPlan plan, Dataset<Row> train, long seed,
      int k) {
    String label = plan.columns().label();
    int buckets = 4 * Math.max(1, spark.sparkContext().defaultParallelism());
    Dataset<Row> keyed = train.withColumn(KEY, uniform(train, seed + 1))
        .withColumn(BUCKET, floor(col(KEY).multiply(buckets)).cast("int"));
    WindowSpec lowerBuckets = Window.partitionBy(col(label)).orderBy(col(BUCKET))
        .rowsBetween(Window.unboundedPreceding(), -1);
    Dataset<Row> offsets = keyed.groupBy(col(label), col(BUCKET)).count()
        .withColumn(OFFSET, coalesce(functions.sum(col("count")).over(lowerBuckets), lit(0L))).drop("count");
    WindowSpec inBucket = Window.partitionBy(col(label), col(BUCKET)).orderBy(col(KEY));
    return keyed.join(functions.broadcast(offsets), new String[] {label, BUCKET})
        .withColumn(FOLD, pmod(col(OFFSET).plus(row_number().over(inBucket)).minus(1), lit(k)).cast("int"))
        .select(columnsAnd(train, FOLD));
  }

  /** The columns of {@code data} in their order, then {@code extra}: a join puts its keys first. */
  private static Column[] columnsAnd(Dataset<Row> data, String extra) {
    List<Column> cols = new ArrayList<>();
    for (String c : data.columns()) {
      cols.add(col(c));
    }
    cols.add(col(extra));
    return cols.toArray(new Column[0]);
  }

  /**
   * Sorts the rows by key and deals them out: round-robin, or in blocks in time order
   * (where {@code train} is every row and the latest are given block -1, the test rows).
   */
  private static Dataset<Row> dealt(SparkSession spark, SparkStudyPlan plan, Dataset<Row> train, long seed, int k) {
    Dataset<Row> keyed = train.withColumn(KEY, uniform(train, seed + 1));
    Dataset<Row> sorted;
    long total = 0;
    long testRows = 0;
    boolean time = plan.strategy().equals("time");
    if (time) {
      sorted = keyed.orderBy(col(plan.columns().order()), col(KEY));
      total = train.count();
      testRows = timeTestRows(total, plan.spec().data().testFraction());
    } else {
      sorted = keyed.orderBy(col(KEY));
    }
    StructType schema = sorted.schema().add(FOLD, DataTypes.IntegerType, false);
    JavaRDD<Row> rows = sorted.javaRDD().zipWithIndex().map(new Deal(time, k, total - testRows));
    return spark.createDataFrame(rows, schema).drop(KEY);
  }

  /** Maps (row, position in sort order) to the row with its block; serialisable for executors. */
  private static final class Deal implements Function<Tuple2<Row, Long>, Row> {
    private static final long serialVersionUID = 1L;
    private final boolean time;
    private final int k;
    /** For time order: the training rows, the first in order; the rest are test rows. */
    private final long total;

    Deal(boolean time, int k, long total) {
      this.time = time;
      this.k = k;
      this.total = total;
    }

    @Override
    public Row call(Tuple2<Row, Long> t) {
      Row r = t._1();
      long index = t._2();
      int fold = time ? (index >= total ? -1 : (int) Math.min(k, index * (k + 1) / Math.max(1, total)))
          : (int) (index % k);
      Object[] values = new Object[r.size() + 1];
      for (int i = 0; i < r.size(); i++) {
        values[i] = r.get(i);
      }
      values[r.size()] = fold;
      return RowFactory.create(values);
    }
  }
}
