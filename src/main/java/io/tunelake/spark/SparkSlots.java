package io.tunelake.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many fits can run at once: one per task slot of the cluster (executor cores divided by
 * {@code spark.task.cpus}). More concurrent fits than slots only queue tasks behind each other
 * and stretch every trial; fewer leave cores idle while a fit waits on the driver.
 */
public final class SparkSlots {
  private static final Logger LOG = LoggerFactory.getLogger(SparkSlots.class);

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
   * The concurrent fits for {@code requested} ({@code search.parallelism}; 0 = one per slot):
   * a request above the slots is capped, with a warning.
   */
  public static int concurrentFits(SparkSession spark, int requested) {
    int slots = taskSlots(spark);
    if (requested <= 0) {
      return slots;
    }
    if (requested > slots) {
      LOG.warn("search.parallelism {} is more than the {} task slots of the cluster; running {} fits at once",
          requested, slots, slots);
      return slots;
    }
    return requested;
  }
}
