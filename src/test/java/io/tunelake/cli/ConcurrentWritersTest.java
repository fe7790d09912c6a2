package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunelake.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two CLI processes tune two studies into the same, not yet created, tables at the same time. */
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
}
