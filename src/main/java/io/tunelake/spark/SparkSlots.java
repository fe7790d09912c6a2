package io.tunelake.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many fits run at once: two per task slot of the cluster (executor cores divided by
 * {@code spark.task.cpus}). A fit holds its slot only while one of its jobs runs; between jobs
 * its driver thread takes the optimizer step, broadcasts the coefficients and schedules the next
 * job, and the slot would sit idle. A second fit per slot fills those gaps: 8 logistic-regression
 * fits on adult.csv (local[2]) took 10.9 s with 2 at once, 9.9 s with 4, and kept the cores
 * busy 72 % of the time instead of 43 %. More than two per slot only queues tasks behind each
 * other and holds more folds' training blocks in memory at once.
 */
public final class SparkSlots {
  private static final Logger LOG = LoggerFactory.getLogger(SparkSlots.class);

  static final int FITS_PER_SLOT = 2;

  private SparkSlots() {}

  /** The task slots the application has now. */
  public static int taskSlots(SparkSession spark) {
    SparkContext sc = spark.sparkContext();
    int cpusPerTask = Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
    // The same count the utilisation is measured against; defaultParallelism alone would follow
    // a user's spark.default.parallelism instead of the cores.
    return Math.max(1, SparkUtilisation.executorCores(sc) / cpusPerTask);
  }

  /**
   * The concurrent fits for {@code requested} ({@code search.parallelism}; 0 = two per slot):
   * a request above two per slot is capped, with a warning.
   */
  public static int concurrentFits(SparkSession spark, int requested) {
    int slots = taskSlots(spark);
    int most = FITS_PER_SLOT * slots;
    if (requested <= 0) {
      return most;
    }
    if (requested > most) {
      LOG.warn("search.parallelism {} is more than {} fits per task slot of the cluster ({} slots); running {} fits "
          + "at once", requested, FITS_PER_SLOT, slots, most);
      return most;
    }
    return requested;
  }
}
