package io.tunelake.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the session a command runs in. Spark settings come, by precedence, from the command
 * line ({@code --master}), from {@code spark-submit} or the launcher's {@code spark-conf/}
 * (as {@code spark.*} system properties), and last from the defaults here; Delta's extension
 * and catalog are always set, so neither {@code spark-submit} nor the launcher needs them.
 */
final class SparkSessions {
  private SparkSessions() {}

  static SparkSession create(String master, String appName) {
    SparkConf conf = new SparkConf();
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.app.name", appName);
    conf.set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    // Concurrent trials share the executors fairly instead of queueing behind each other.
    conf.setIfMissing("spark.scheduler.mode", "FAIR");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    conf.setIfMissing("spark.sql.adaptive.enabled", "true");
    conf.setIfMissing("spark.sql.shuffle.partitions", "8");
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
