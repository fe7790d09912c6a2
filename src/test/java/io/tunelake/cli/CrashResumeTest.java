package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Kills a real CLI process (SIGKILL, SIGTERM) after its first round commits, then re-runs it. */
@ExtendWith(SparkTestSession.class)
class CrashResumeTest {

  /** Waits until the Delta log of {@code table} has reached {@code version}. */
  static void awaitVersion(Path table, long version, ChildCli child) throws InterruptedException {
    // Long enough for a loaded machine: the wait only bounds how long a failure takes to show.
    child.awaitFile(table.resolve("_delta_log").resolve(String.format("%020d.json", version)), 10, 100);
  }

  @Test
  void tune_killedAfterFirstRound_rerunCompletesWithEveryTrialOnce() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = TinyStudy.named("crash").withTrials(8).withSeed(11).file();

    ChildCli first = ChildCli.start("tune", spec.toString(), "--store", store.toString());
    // Version 0 creates the table; version 1 is the first round's append.
    awaitVersion(store.resolve("trials"), 1, first);
    first.kill();
    long kept = SparkTestSession.get().read().format("delta").load(store.resolve("trials").toString())
        .where("study = 'crash'").count();
    assertTrue(kept >= 2 && kept < 8, "the killed run should have committed some but not all rounds, got " + kept);

    ChildCli second = ChildCli.start("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, second.await(5), second.tail());
    assertTrue(second.stdout().contains("study 'crash': 8 trials (8 complete, 0 pruned, 0 failed), "
        + (8 - kept) + " added by this run"), second.tail());

    List<Row> rows = SparkTestSession.get().read().format("delta").load(store.resolve("trials").toString())
        .where("study = 'crash'").orderBy("trial_id").collectAsList();
    assertEquals(IntStream.rangeClosed(1, 8).boxed().toList(), rows.stream().map(r -> r.<Integer>getAs("trial_id"))
        .toList());
    assertEquals(List.of(1, 1, 2, 2, 3, 3, 4, 4), rows.stream().map(r -> r.<Integer>getAs("round")).toList());
    Row study = SparkTestSession.get().read().format("delta").load(store.resolve("studies").toString())
        .where("study = 'crash'").first();
    assertEquals("FINISHED", study.getAs("status"));
    assertEquals(8, study.<Integer>getAs("trials_total"));
  }

  @Test
  void tune_sigtermMidStudy_exits143WithWholeRoundsAndRerunFinishes() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = TinyStudy.named("sigterm").withTrials(8).withSeed(11).file();

    ChildCli first = ChildCli.start("tune", spec.toString(), "--store", store.toString());
    awaitVersion(store.resolve("trials"), 1, first);
    first.process.destroy();
    assertEquals(ExitCodes.STOPPED, first.await(3), first.tail());
    assertTrue(first.stderr().contains("stop requested"), first.tail());
    List<String> said = first.stderr().lines().filter(l -> !l.isBlank()).toList();
    assertTrue(said.get(said.size() - 1).startsWith("tunelake: study 'sigterm' stopped on request"), first.tail());
    assertFalse(first.stderr().contains("\tat "), "no stack trace: " + first.tail());
    List<Row> kept = SparkTestSession.get().read().format("delta").load(store.resolve("trials").toString())
        .where("study = 'sigterm'").collectAsList();
    assertTrue(kept.size() % 2 == 0 && kept.size() >= 2 && kept.size() < 8, "whole rounds only, got " + kept.size());
    assertTrue(kept.stream().allMatch(r -> "COMPLETE".equals(r.getAs("status"))),
        "no trial of an abandoned round is committed as failed");

    ChildCli second = ChildCli.start("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, second.await(5), second.tail());
    assertEquals(8, SparkTestSession.get().read().format("delta").load(store.resolve("trials").toString())
        .where("study = 'sigterm' AND status = 'COMPLETE'").count());
  }
}
