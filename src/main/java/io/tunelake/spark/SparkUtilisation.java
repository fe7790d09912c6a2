package io.tunelake.spark;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How busy the executors were over a stretch of driver time, such as a study's tuning loop:
 * task-busy core time divided by available core time, in [0, 1].
 *
 * <ul>
 *   <li>Busy: every task that finishes in the window counts {@code (finish - launch) x
 *       spark.task.cpus}, clipped to the window.
 *   <li>Available: executor cores integrated over wall time. In local mode the cores of the
 *       master ({@code local[N]}, {@code local[*]} = the machine's processors). On a cluster the
 *       cores registered at the start ({@code defaultParallelism}, which is the scheduler's total
 *       unless {@code spark.default.parallelism} overrides it, then executors x
 *       {@code spark.executor.cores}), plus and minus executors added and removed while it runs
 *       (dynamic allocation); an executor of the starting set that leaves takes its average share.
 * </ul>
 *
 * <p>Driver time between jobs (the optimizer, Delta commits) leaves the executors idle and so
 * lowers the fraction: that is what it is meant to show.
 */
public final class SparkUtilisation extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger(SparkUtilisation.class);
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");
  private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,.*]");
  private static final String JOB_GROUP = "spark.jobGroup.id";
  private static final String JOB_DESCRIPTION = "spark.job.description";

  private final SparkContext sc;
  private final boolean local;
  private final int taskCpus;
  private final long start;
  private final String barrierGroup = "tunelake-utilisation-" + UUID.randomUUID();
  private final CountDownLatch barrier = new CountDownLatch(1);
  private final Map<String, Integer> addedCores = new HashMap<>();
  private int cores;
  private int initialCores;
  private int initialExecutors;
  private long lastChange;
  private double availableCoreMs;
  private double busyCoreMs;
  private boolean stopped;

  private SparkUtilisation(SparkContext sc) {
    this.sc = sc;
    this.taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
    int localCores = localCores(sc.master(), Runtime.getRuntime().availableProcessors());
    this.local = localCores > 0;
    this.initialExecutors = local ? 1 : registeredExecutors(sc);
    this.initialCores = local ? localCores : clusterCores(sc, initialExecutors);
    this.cores = initialCores;
    this.start = System.currentTimeMillis();
    this.lastChange = start;
  }

  /** Starts measuring now; call {@link #stop()} when the stretch ends. */
  public static SparkUtilisation start(SparkContext sc) {
    SparkUtilisation u = new SparkUtilisation(sc);
    sc.addSparkListener(u);
    return u;
  }

  /**
   * The cores of a local master ({@code local}, {@code local[N]}, {@code local[*]}, with or
   * without a failure count; {@code local-cluster[n, c, mem]} has n x c), or -1 for a cluster.
   */
  static int localCores(String master, int processors) {
    Matcher m = LOCAL.matcher(master);
    if (m.matches()) {
      return m.group(1) == null ? 1 : "*".equals(m.group(1)) ? processors : Integer.parseInt(m.group(1));
    }
    Matcher c = LOCAL_CLUSTER.matcher(master);
    if (c.matches()) {
      return Integer.parseInt(c.group(1)) * Integer.parseInt(c.group(2));
    }
    return -1;
  }

  /** The executor cores the application has now: a local master's, or the cluster's registered total. */
  static int executorCores(SparkContext sc) {
    int local = localCores(sc.master(), Runtime.getRuntime().availableProcessors());
    return local > 0 ? local : clusterCores(sc, registeredExecutors(sc));
  }

  /** Executors registered now; the driver is listed among them on a cluster. */
  private static int registeredExecutors(SparkContext sc) {
    return Math.max(1, sc.statusTracker().getExecutorInfos().length - 1);
  }

  private static int clusterCores(SparkContext sc, int executors) {
    if (!sc.getConf().contains("spark.default.parallelism")) {
      return sc.defaultParallelism();
    }
    return executors * sc.getConf().getInt("spark.executor.cores", 1);
  }

  /**
   * Stops measuring and returns the fraction, or null when the window held no time or no cores.
   * Waits (up to 10 s) for the listener bus to deliver the events of the tasks finished so far.
   */
  public Double stop() {
    awaitDelivered();
    sc.removeSparkListener(this);
    synchronized (this) {
      long end = System.currentTimeMillis();
      advance(end);
      stopped = true;
      if (availableCoreMs <= 0) {
        return null;
      }
      // Cores are estimated on a cluster; a fraction above 1 would only show the estimate was low.
      return Math.min(1.0, busyCoreMs / availableCoreMs);
    }
  }

  /**
   * Events reach listeners asynchronously, in the order they were posted. An empty job is
   * announced at once, with no task, so seeing its start means every event of the tasks that
   * finished before it has been delivered.
   */
  private void awaitDelivered() {
    String group = sc.getLocalProperty(JOB_GROUP);
    String description = sc.getLocalProperty(JOB_DESCRIPTION);
    try {
      sc.setLocalProperty(JOB_GROUP, barrierGroup);
      sc.setLocalProperty(JOB_DESCRIPTION, "tunelake: end of the utilisation measurement (no tasks)");
      JavaSparkContext.fromSparkContext(sc).emptyRDD().count();
      if (!barrier.await(10, TimeUnit.SECONDS)) {
        LOG.warn("the listener bus did not deliver within 10 s; executor utilisation may miss the last tasks");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      sc.setLocalProperty(JOB_GROUP, group);
      sc.setLocalProperty(JOB_DESCRIPTION, description);
    }
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    if (barrierGroup.equals(jobStart.properties() == null ? null : jobStart.properties().getProperty(JOB_GROUP))) {
      barrier.countDown();
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    TaskInfo info = taskEnd.taskInfo();
    if (stopped || info == null || info.finishTime() <= 0) {
      return;
    }
    long from = Math.max(info.launchTime(), start);
    if (info.finishTime() > from) {
      busyCoreMs += (double) (info.finishTime() - from) * taskCpus;
    }
  }

  @Override
  public synchronized void onExecutorAdded(SparkListenerExecutorAdded added) {
    if (local || stopped) {
      return;
    }
    advance(added.time());
    int c = added.executorInfo().totalCores();
    addedCores.put(added.executorId(), c);
    cores += c;
  }

  @Override
  public synchronized void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
    if (local || stopped) {
      return;
    }
    advance(removed.time());
    Integer c = addedCores.remove(removed.executorId());
    if (c == null && initialExecutors > 0) {
      // One of the executors that were there at the start, whose own core count is unknown.
      c = Math.round((float) initialCores / initialExecutors);
      initialCores -= c;
      initialExecutors--;
    }
    cores = Math.max(0, cores - (c == null ? 0 : c));
  }

  /** Adds the core time since the last change, at the current core count. */
  private void advance(long now) {
    long t = Math.max(now, lastChange);
    availableCoreMs += (double) (t - lastChange) * cores;
    lastChange = t;
  }
}
