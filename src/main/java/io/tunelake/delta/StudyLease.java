package io.tunelake.delta;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to write one study, held by one process at a time and recorded in the store's
 * {@code leases} table: the owner (host, pid, run id) and a heartbeat the owner renews every
 * {@link #HEARTBEAT} while it runs. It is taken with a conditional Delta MERGE on the study's
 * row, so of two processes asking at once Delta lets one commit and makes the other retry,
 * which then finds the lease taken. A lease whose owner runs on this host and whose process is
 * gone (killed, crashed) is taken over at once; one whose heartbeat is older than {@link #STALE}
 * may be taken over with {@code force}. Closing the lease releases it.
 */
public final class StudyLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StudyLease.class);
  /** How often a held lease is renewed. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(30);
  /** How old a heartbeat must be before {@code --force} may take the lease from its owner. */
  public static final Duration STALE = Duration.ofMinutes(3);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);
  /** The leases this JVM holds, by leases table and study. */
  private static final Map<String, StudyLease> HELD = new ConcurrentHashMap<>();

  private final DeltaTrialStore store;
  private final String study;
  private final Owner owner;
  private final ScheduledExecutorService timer;
  private volatile Instant lastBeat;
  private volatile String lost;
  private volatile int known = -1;
  private boolean closed;

  /** Who holds, or asks for, a lease: a run of one process on one host. */
  record Owner(String runId, String host, long pid, Instant processStart) {
    /** This process, as a new run. */
    static Owner self() {
      ProcessHandle me = ProcessHandle.current();
      return new Owner(UUID.randomUUID().toString(), hostName(), me.pid(), me.info().startInstant().orElse(null));
    }

    /**
     * Whether this owner's process is gone: it ran on {@code host} (only there can its pid be
     * looked up) and no process with its pid and start time is running.
     */
    boolean goneFrom(String host) {
      if (!this.host.equals(host)) {
        return false;
      }
      Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (p.isEmpty()) {
        return true;
      }
      // A pid the system reused for another process: its start time differs.
      Optional<Instant> started = p.get().info().startInstant();
      return processStart != null && started.isPresent()
          && Duration.between(processStart, started.get()).abs().compareTo(Duration.ofSeconds(2)) > 0;
    }

    private static String hostName() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return System.getenv().getOrDefault("HOSTNAME", "unknown");
      }
    }
  }

  /** A row of the leases table. */
  record Holder(Owner owner, Instant acquiredAt, Instant heartbeatAt, Instant releasedAt) {}

  private StudyLease(DeltaTrialStore store, String study, Owner owner, Instant acquired) {
    this.store = store;
    this.study = study;
    this.owner = owner;
    this.lastBeat = acquired;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tunelake-lease-" + study);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Takes the lease of {@code study} for this process, or throws {@link StudyLeaseException}
   * naming the owner when another live process holds it.
   */
  static StudyLease acquire(DeltaTrialStore store, String study, boolean force, Owner me) {
    store.ensureLeases();
    for (int attempt = 1; ; attempt++) {
      Optional<Holder> current = read(store, study);
      Instant now = store.clock().instant();
      String takeover = null;
      if (current.isPresent() && current.get().releasedAt() == null
          && !current.get().owner().runId().equals(me.runId())) {
        Holder h = current.get();
        Duration silent = Duration.between(h.heartbeatAt(), now);
        if (h.owner().goneFrom(me.host())) {
          takeover = "its process (pid " + h.owner().pid() + " on " + h.owner().host() + ") is gone";
        } else if (force && silent.compareTo(STALE) >= 0) {
          takeover = "--force, and it has not renewed the lease for " + seconds(silent);
        } else {
          throw refused(study, h, silent, force);
        }
      }
      Instant at = micros(now);
      write(store, study, current.map(h -> h.owner().runId()), new Holder(me, at, at, null));
      Optional<Holder> after = read(store, study);
      if (after.isPresent() && after.get().owner().runId().equals(me.runId())) {
        if (takeover != null) {
          Owner o = current.get().owner();
          LOG.warn("study '{}': took over the lease of run {} (pid {} on {}): {}", study, o.runId(), o.pid(),
              o.host(), takeover);
        }
        StudyLease lease = new StudyLease(store, study, me, at);
        HELD.put(key(store, study), lease);
        long every = HEARTBEAT.toMillis();
        lease.timer.scheduleWithFixedDelay(lease::beat, every, every, TimeUnit.MILLISECONDS);
        return lease;
      }
      if (attempt >= 3) {
        int attempts = attempt;
        throw after.map(h -> refused(study, h, Duration.between(h.heartbeatAt(), store.clock().instant()), force))
            .orElseGet(() -> new StudyLeaseException("study '" + study + "': could not take its lease in "
                + store.leasesPath() + " after " + attempts + " attempts; re-run the command"));
      }
    }
  }

  /** The lease this JVM holds on {@code study} in any store, if any. */
  public static Optional<StudyLease> held(String study) {
    return HELD.values().stream().filter(l -> l.study.equals(study)).findFirst();
  }

  public String study() {
    return study;
  }

  /**
   * How many trials of the study are in the table, once this run has read them. It takes no lock,
   * so a shutdown hook can ask while a commit is under way.
   */
  public OptionalInt committedTrials() {
    int n = known;
    return n < 0 ? OptionalInt.empty() : OptionalInt.of(n);
  }

  void known(int trials) {
    known = trials;
  }

  /**
   * Before a commit: fails if another process took the lease over, and renews it first when the
   * timer has not managed to for half of {@link #STALE} (a busy or paused JVM), so that a
   * commit never lands under a lease another process could have taken with {@code --force}.
   */
  synchronized void checkHeld() {
    if (closed) {
      throw new StudyLeaseException("study '" + study + "': this run released its lease (it is stopping) and "
          + "commits nothing more");
    }
    if (lost == null && Duration.between(lastBeat, store.clock().instant()).compareTo(STALE.dividedBy(2)) > 0) {
      renew();
    }
    if (lost != null) {
      throw new StudyLeaseException(lost);
    }
  }

  /** The timer's heartbeat: a failure to renew is retried on the next beat. */
  private void beat() {
    try {
      renew();
    } catch (RuntimeException e) {
      LOG.warn("study '{}': renewing its lease failed ({}); trying again in {} s", study, e.toString(),
          HEARTBEAT.toSeconds());
    }
  }

  private synchronized void renew() {
    if (closed || lost != null) {
      return;
    }
    Instant now = micros(store.clock().instant());
    store.retrying("renew the lease of study '" + study + "'", () -> {
      DeltaTable.forPath(store.spark(), store.leasesPath()).update(mine(),
          Map.of("heartbeat_at", lit(Timestamp.from(now))));
      return null;
    });
    Optional<Holder> h = read(store, study);
    if (h.isPresent() && h.get().owner().runId().equals(owner.runId()) && h.get().releasedAt() == null) {
      lastBeat = now;
    } else {
      lost = "study '" + study + "': this run (" + owner.runId() + ") lost its lease to "
          + h.map(o -> "run " + o.owner().runId() + " (pid " + o.owner().pid() + " on " + o.owner().host() + ")")
              .orElse("nobody (the lease row is gone)")
          + "; it stops without committing further rounds";
      LOG.warn(lost);
      // Nothing is left to renew.
      timer.shutdown();
    }
  }

  /** Gives the lease back; a failure (the engine already stopped) is logged, not thrown. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    HELD.remove(key(store, study), this);
    if (lost != null) {
      return;
    }
    try {
      Timestamp now = Timestamp.from(micros(store.clock().instant()));
      store.retrying("release the lease of study '" + study + "'", () -> {
        DeltaTable.forPath(store.spark(), store.leasesPath()).update(mine(),
            Map.of("heartbeat_at", lit(now), "released_at", lit(now)));
        return null;
      });
    } catch (RuntimeException e) {
      LOG.warn("study '{}': releasing its lease failed ({}); the next run on this host takes it over, elsewhere "
          + "after {} with --force", study, e.toString(), seconds(STALE));
    }
  }

  private org.apache.spark.sql.Column mine() {
    return col("study").equalTo(study).and(col("run_id").equalTo(owner.runId()));
  }

  /** The study's lease row, if it has one. */
  static Optional<Holder> read(DeltaTrialStore store, String study) {
    List<Row> rows = store.spark().read().format("delta").load(store.leasesPath())
        .where(col("study").equalTo(study)).collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row r = rows.get(0);
    Timestamp started = r.getAs("process_started_at");
    Timestamp released = r.getAs("released_at");
    Owner o = new Owner(r.getAs("run_id"), r.getAs("host"), r.<Long>getAs("pid"),
        started == null ? null : started.toInstant());
    return Optional.of(new Holder(o, r.<Timestamp>getAs("acquired_at").toInstant(),
        r.<Timestamp>getAs("heartbeat_at").toInstant(), released == null ? null : released.toInstant()));
  }

  /**
   * Writes {@code next} as the study's lease if the row still belongs to {@code expected} (or,
   * when there was none, is still absent). The MERGE reads the study's partition, so a
   * concurrent writer of the same row makes one of the two commits conflict and retry, and the
   * retry finds the condition false.
   */
  static void write(DeltaTrialStore store, String study, Optional<String> expected, Holder next) {
    Owner o = next.owner();
    Row row = RowFactory.create(study, o.runId(), o.host(), o.pid(),
        o.processStart() == null ? null : Timestamp.from(o.processStart()), Timestamp.from(next.acquiredAt()),
        Timestamp.from(next.heartbeatAt()), next.releasedAt() == null ? null : Timestamp.from(next.releasedAt()));
    var source = store.spark().createDataFrame(List.of(row), DeltaSchemas.LEASES);
    String on = "t.study = s.study AND t.study = " + DeltaTrialStore.literal(study);
    store.retrying("take the lease of study '" + study + "'", () -> {
      var merge = DeltaTable.forPath(store.spark(), store.leasesPath()).as("t").merge(source.as("s"), on);
      if (expected.isPresent()) {
        merge = merge.whenMatched("t.run_id = " + DeltaTrialStore.literal(expected.get())).updateAll();
      }
      merge.whenNotMatched().insertAll().execute();
      return null;
    });
  }

  static StudyLeaseException refused(String study, Holder h, Duration silent, boolean force) {
    Owner o = h.owner();
    String who = "study '" + study + "' is being run by another process: pid " + o.pid() + " on host " + o.host()
        + " (run " + o.runId() + ", since " + TIME.format(h.acquiredAt()) + ", last heartbeat " + seconds(silent)
        + " ago). ";
    if (silent.compareTo(STALE) >= 0) {
      return new StudyLeaseException(who + "Its heartbeat is stale (none for " + seconds(STALE) + "): if that "
          + "process is gone, re-run with --force to take the study over.");
    }
    return new StudyLeaseException(who + "Wait for it to finish or stop it (SIGTERM); "
        + (force ? "--force is refused while its heartbeat is fresh: it " : "if it is gone, --force ")
        + "takes the study over once the heartbeat is " + seconds(STALE) + " old (a run on the same host takes "
        + "over by itself as soon as the process is gone).");
  }

  private static String seconds(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s >= 120 && s % 60 == 0 ? s / 60 + " min" : s + " s";
  }

  private static Instant micros(Instant i) {
    return i.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  private static String key(DeltaTrialStore store, String study) {
    return store.leasesPath() + "\u0000" + study;
  }
}
