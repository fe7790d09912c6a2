package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import io.tunelake.delta.DeltaTrialStore;
import io.tunelake.delta.StudyLease;
import java.time.Clock;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two CLI processes tune into the same tables at the same time: two studies side by side, or one study twice. */
@ExtendWith(SparkTestSession.class)
class ConcurrentWritersTest {

  @Test
  void tune_twoProcessesOnOneStore_bothCompleteWithEveryTrial() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path left = TinyStudy.named("left").withTrials(6).withSeed(11).file();
    Path right = TinyStudy.named("right").withTrials(6).withSeed(12).file();

    ChildCli a = ChildCli.start("tune", left.toString(), "--store", store.toString());
    ChildCli b = ChildCli.start("tune", right.toString(), "--store", store.toString());
    assertEquals(0, a.await(8), a.tail());
    assertEquals(0, b.await(8), b.tail());

    for (String study : List.of("left", "right")) {
      List<Integer> ids = SparkTestSession.get().read().format("delta").load(store.resolve("trials").toString())
          .where("study = '" + study + "'").orderBy("trial_id").select("trial_id").as(
              org.apache.spark.sql.Encoders.INT()).collectAsList();
      assertEquals(List.of(1, 2, 3, 4, 5, 6), ids, study);
    }
    assertEquals(2, SparkTestSession.get().read().format("delta").load(store.resolve("studies").toString())
        .where("status = 'FINISHED'").count());
  }

  static List<Integer> trialIds(Path store, String study) {
    return SparkTestSession.get().read().format("delta").load(store.resolve("trials").toString())
        .where("study = '" + study + "'").orderBy("trial_id").select("trial_id").as(
            org.apache.spark.sql.Encoders.INT()).collectAsList();
  }

  @Test
  void tune_sameStudyTwiceAtOnce_oneRunsTheOtherIsRefusedAndNoTrialIsStoredTwice() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = TinyStudy.named("twice").withTrials(16).withSeed(11).file();

    ChildCli a = ChildCli.start("tune", spec.toString(), "--store", store.toString());
    ChildCli b = ChildCli.start("tune", spec.toString(), "--store", store.toString());
    int codeA = a.await(10);
    int codeB = b.await(10);
    assertEquals(List.of(ExitCodes.OK, ExitCodes.BUSY), Stream.of(codeA, codeB).sorted().toList(),
        a.tail() + "\n" + b.tail());
    ChildCli refused = codeA == ExitCodes.BUSY ? a : b;
    assertTrue(refused.stderr().contains("tunelake: study 'twice' is being run by another process: pid "),
        refused.tail());
    assertEquals(IntStream.rangeClosed(1, 16).boxed().toList(), trialIds(store, "twice"));
  }

  @Test
  void tune_studyWhoseLeaseALiveProcessHolds_exits5NamingItAndAddsNoTrial() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = TinyStudy.named("held").file();
    try (StudyLease lease = DeltaTrialStore.open(SparkTestSession.get(), store.toString(), null, Clock.systemUTC())
        .lease("held", false)) {
      ChildCli child = ChildCli.start("tune", spec.toString(), "--store", store.toString());
      assertEquals(ExitCodes.BUSY, child.await(5), child.tail());
      assertTrue(child.stderr().contains("tunelake: study 'held' is being run by another process: pid "
          + ProcessHandle.current().pid() + " on host "), child.tail());
      assertTrue(child.stderr().contains("Wait for it to finish or stop it (SIGTERM); if it is gone, --force takes "
          + "the study over once the heartbeat is 3 min old"), child.tail());
      assertEquals(List.of(), trialIds(store, "held"));
      assertEquals("held", lease.study());
    }
  }
}
