package io.tunelake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSession.class)
class SparkUtilisationTest {

  /** Two jobs of two tasks (one per core of local[2]) that each hold their core for 500 ms. */
  private static void busyJobs(SparkContext sc) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
    for (int job = 0; job < 2; job++) {
      jsc.parallelize(java.util.List.of(1, 2), 2).foreach(x -> Thread.sleep(500));
    }
  }

  @Test
  void stop_jobsThenDriverIdle_isClearlyLowerThanJobsAlone() throws Exception {
    SparkContext sc = SparkTestSession.get().sparkContext();
    // Warm up first: a cold JVM's first jobs spend much of their wall time compiling.
    busyJobs(sc);
    SparkUtilisation busy = SparkUtilisation.start(sc);
    busyJobs(sc);
    double kept = busy.stop();

    SparkUtilisation idle = SparkUtilisation.start(sc);
    busyJobs(sc);
    // The driver thinks (optimizer, commits) with no Spark job running: the executors idle.
    Thread.sleep(3000);
    double waited = idle.stop();

    assertTrue(kept > 0 && kept <= 1, "busy fraction " + kept);
    assertTrue(waited > 0 && waited <= 1, "idle fraction " + waited);
    // The same tasks over 3 s more wall time: lower by W / (W + 3 s) for jobs taking W.
    assertTrue(waited < 0.8 * kept, "idle " + waited + " vs busy " + kept);
  }

  @Test
  void stop_noJobs_isZero() throws Exception {
    SparkUtilisation u = SparkUtilisation.start(SparkTestSession.get().sparkContext());
    Thread.sleep(50);
    assertEquals(0.0, u.stop());
  }

  @Test
  void localCores_readsTheMaster() {
    assertEquals(1, SparkUtilisation.localCores("local", 8));
    assertEquals(2, SparkUtilisation.localCores("local[2]", 8));
    assertEquals(8, SparkUtilisation.localCores("local[*]", 8));
    assertEquals(3, SparkUtilisation.localCores("local[3, 4]", 8));
    assertEquals(8, SparkUtilisation.localCores("local[*,2]", 8));
    assertEquals(6, SparkUtilisation.localCores("local-cluster[2, 3, 1024]", 8));
    assertEquals(-1, SparkUtilisation.localCores("spark://host:7077", 8));
    assertEquals(-1, SparkUtilisation.localCores("yarn", 8));
  }
}
