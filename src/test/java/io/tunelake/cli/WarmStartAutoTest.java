package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelake.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** search.warm_start: auto through the real CLI: the studies table's data profile picks the study. */
@ExtendWith(SparkTestSession.class)
class WarmStartAutoTest {

  @Test
  void tune_warmStartAuto_takesTheEarlierStudyWithTheSameEstimator_andNamesIt() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    TinyStudy earlier = TinyStudy.named("auto-earlier").withTrials(2);
    TuneCommandTest.Run first = TuneCommandTest.cli("tune", earlier.file().toString(), "--store", store.toString());
    assertEquals(0, first.code(), first.err());
    Row profile = TuneCommandTest.table(store, "studies")
        .selectExpr("data_rows", "data_columns", "string_share", "class_balance", "label_spread").first();
    assertEquals(150L, profile.getLong(0));
    assertEquals(4, profile.getInt(1));
    assertEquals(0.0, profile.getDouble(2));
    assertTrue(profile.getDouble(3) > 0.99, "three equally common classes: " + profile);
    assertTrue(profile.isNullAt(4));

    TinyStudy later = TinyStudy.named("auto-later").withTrials(2);
    Path spec = TuneCommandTest.spec(later.yaml().replace("seed: 7}", "seed: 7, warm_start: auto}"));
    TuneCommandTest.Run run = TuneCommandTest.cli("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("warm start: 2 trials of study 'auto-earlier' used, 0 dropped (data similarity 1.0000)"),
        run.out());
    assertTrue(Files.exists(store.resolve("studies")));
  }
}
