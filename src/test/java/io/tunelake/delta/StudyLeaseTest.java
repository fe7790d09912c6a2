package io.tunelake.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import io.tunelake.optimize.TrialStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkTestSession.class)
class StudyLeaseTest {

  /** A run of this (live) process, as a second process on this host would look to the first. */
  static StudyLease.Owner live() {
    StudyLease.Owner me = StudyLease.Owner.self();
    return new StudyLease.Owner(UUID.randomUUID().toString(), me.host(), me.pid(), me.processStart());
  }

  static StudyLease.Owner elsewhere() {
    return new StudyLease.Owner(UUID.randomUUID().toString(), "another-host", 4242, null);
  }

  static DeltaTrialStore at(String base, Clock clock) {
    return DeltaTrialStore.open(SparkTestSession.get(), base, null, clock);
  }

  /**
   * Leases a test leaves held: each one's heartbeat would otherwise update its table every 30 s
   * for the rest of the test JVM, Spark jobs that land in other tests' measurements.
   */
  private final List<StudyLease> taken = new ArrayList<>();

  private StudyLease keep(StudyLease lease) {
    taken.add(lease);
    return lease;
  }

  @AfterEach
  void releaseLeases() {
    taken.forEach(StudyLease::close);
  }

  @Test
  void lease_twoRunsAskAtOnce_oneHoldsItAndTheOtherIsRefusedNamingIt() throws Exception {
    String base = SparkTestSession.tempDir("store").toString();
    DeltaTrialStore store = at(base, Clock.systemUTC());
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<StudyLease>> asks = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      StudyLease.Owner owner = live();
      asks.add(pool.submit(() -> {
        together.await();
        return store.lease("race", false, owner);
      }));
    }
    List<StudyLease> won = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (Future<StudyLease> f : asks) {
      try {
        won.add(keep(f.get()));
      } catch (java.util.concurrent.ExecutionException e) {
        refused.add(((StudyLeaseException) e.getCause()).getMessage());
      }
    }
    pool.shutdown();
    assertEquals(1, won.size(), "refusals: " + refused);
    assertEquals(1, refused.size());
    assertTrue(refused.get(0).startsWith("study 'race' is being run by another process: pid "
        + ProcessHandle.current().pid() + " on host "), refused.get(0));
    assertEquals(1, SparkTestSession.get().read().format("delta").load(store.leasesPath()).count());
    won.get(0).close();
  }

  @Test
  void lease_released_isTakenByTheNextRun() {
    DeltaTrialStore store = at(SparkTestSession.tempDir("store").toString(), Clock.systemUTC());
    store.lease("s", false, live()).close();
    StudyLease next = store.lease("s", false, live());
    assertEquals("s", next.study());
    next.close();
  }

  @Test
  void lease_ownerOnThisHostIsGone_isTakenOverWithoutForce() throws Exception {
    DeltaTrialStore store = at(SparkTestSession.tempDir("store").toString(), Clock.systemUTC());
    Process finished = new ProcessBuilder("true").start();
    finished.waitFor();
    StudyLease.Owner me = StudyLease.Owner.self();
    keep(store.lease("s", false, new StudyLease.Owner("killed-run", me.host(), finished.pid(), null)));
    StudyLease next = store.lease("s", false, live());
    assertEquals(1, SparkTestSession.get().read().format("delta").load(store.leasesPath())
        .where("run_id != 'killed-run' AND released_at IS NULL").count());
    next.close();
  }

  @Test
  void lease_heldOnAnotherHost_refusedWithHowToTakeOver_forceOnlyOnceStale() {
    String base = SparkTestSession.tempDir("store").toString();
    Instant now = Instant.now();
    keep(at(base, Clock.fixed(now.minusSeconds(30), ZoneOffset.UTC)).lease("s", false, elsewhere()));

    StudyLeaseException fresh = assertThrows(StudyLeaseException.class,
        () -> at(base, Clock.systemUTC()).lease("s", true, live()));
    assertTrue(fresh.getMessage().startsWith("study 's' is being run by another process: pid 4242 on host "
        + "another-host (run "), fresh.getMessage());
    assertTrue(fresh.getMessage().contains("--force is refused while its heartbeat is fresh: it takes the study "
        + "over once the heartbeat is 3 min old"), fresh.getMessage());

    String stale = SparkTestSession.tempDir("store").toString();
    keep(at(stale, Clock.fixed(now.minus(StudyLease.STALE).minusSeconds(5), ZoneOffset.UTC)).lease("s", false,
        elsewhere()));
    StudyLeaseException unforced = assertThrows(StudyLeaseException.class,
        () -> at(stale, Clock.systemUTC()).lease("s", false, live()));
    assertTrue(unforced.getMessage().contains("Its heartbeat is stale (none for 3 min): if that process is gone, "
        + "re-run with --force to take the study over."), unforced.getMessage());
    at(stale, Clock.systemUTC()).lease("s", true, live()).close();
  }

  @Test
  void commit_afterTheLeaseWasTakenOver_isRefusedAndWritesNothing() {
    String base = SparkTestSession.tempDir("store").toString();
    Instant now = Instant.now();
    // The first run took the lease long ago and its heartbeat has not run since (a paused JVM).
    Instant[] firstNow = {now.minus(StudyLease.STALE).minusSeconds(5)};
    DeltaTrialStore first = at(base, new Clock() {
      @Override
      public Instant instant() {
        return firstNow[0];
      }

      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    });
    keep(first.lease("s", false, new StudyLease.Owner("first-run", "another-host", 4242, null)));
    first.commit(List.of(DeltaTrialStoreTest.trial("s", 1, 1, TrialStatus.COMPLETE)));
    keep(at(base, Clock.systemUTC()).lease("s", true, live()));
    firstNow[0] = now;

    StudyLeaseException e = assertThrows(StudyLeaseException.class,
        () -> first.commit(List.of(DeltaTrialStoreTest.trial("s", 2, 2, TrialStatus.COMPLETE))));
    assertTrue(e.getMessage().startsWith("study 's': this run (first-run) lost its lease to run "), e.getMessage());
    assertEquals(List.of(1), first.history("s").stream().map(t -> t.trialId()).toList());
  }
}
