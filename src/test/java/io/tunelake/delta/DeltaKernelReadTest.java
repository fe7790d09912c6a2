package io.tunelake.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.tunelake.SparkTestSession;
import io.tunelake.optimize.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reads the trials table with Delta Kernel and no Spark, as Trino, Flink and other
 * Kernel-based engines do, and checks it gives the rows Spark gives.
 */
@ExtendWith(SparkTestSession.class)
class DeltaKernelReadTest {

  /** Every row of the table at {@code path}, each as "col=value|..." over {@code columns}, sorted. */
  static TreeSet<String> readWithKernel(String path, List<String> columns) throws Exception {
    Engine engine = DefaultEngine.create(new Configuration());
    Snapshot snapshot = Table.forPath(engine, path).getLatestSnapshot(engine);
    Scan scan = snapshot.getScanBuilder().build();
    Row scanState = scan.getScanState(engine);
    StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
    TreeSet<String> out = new TreeSet<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            Row scanFile = fileRows.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
            CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                .readParquetFiles(singleton(status), physical, Optional.empty()).map(FileReadResult::getData);
            try (CloseableIterator<FilteredColumnarBatch> logical =
                Scan.transformPhysicalData(engine, scanState, scanFile, data)) {
              while (logical.hasNext()) {
                try (CloseableIterator<Row> rows = logical.next().getRows()) {
                  while (rows.hasNext()) {
                    out.add(render(rows.next(), columns));
                  }
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  static CloseableIterator<FileStatus> singleton(FileStatus f) {
    return io.delta.kernel.internal.util.Utils.singletonCloseableIterator(f);
  }

  static String render(Row r, List<String> columns) {
    List<String> parts = new ArrayList<>();
    for (String c : columns) {
      int i = r.getSchema().indexOf(c);
      Object v;
      if (r.isNullAt(i)) {
        v = null;
      } else if (c.equals("trial_id") || c.equals("round")) {
        v = r.getInt(i);
      } else if (c.equals("mean") || c.equals("std")) {
        v = r.getDouble(i);
      } else if (c.equals("data_version") || c.equals("duration_ms")) {
        v = r.getLong(i);
      } else {
        v = r.getString(i);
      }
      parts.add(c + "=" + v);
    }
    return String.join("|", parts);
  }

  @Test
  void trialsTable_readWithKernelWithoutSpark_givesTheRowsSparkGives() throws Exception {
    DeltaTrialStore store = DeltaTrialStoreTest.store().withLineage(new Lineage("/data/x", "delta", 3L,
        "kfold-3-abc", 42L, "random", "dev", "4.1.0"));
    store.commit(List.of(DeltaTrialStoreTest.trial("k1", 1, 1, TrialStatus.COMPLETE),
        DeltaTrialStoreTest.trial("k1", 2, 1, TrialStatus.FAILED)));
    store.commit(List.of(DeltaTrialStoreTest.trial("k1", 3, 2, TrialStatus.COMPLETE),
        DeltaTrialStoreTest.trial("k2", 1, 1, TrialStatus.COMPLETE)));
    List<String> columns = List.of("study", "trial_id", "round", "status", "params_json", "metric", "mean", "std",
        "duration_ms", "error", "data_version", "fold_assignment");

    TreeSet<String> spark = new TreeSet<>();
    for (org.apache.spark.sql.Row r : SparkTestSession.get().read().format("delta").load(store.trialsPath())
        .collectAsList()) {
      List<String> parts = new ArrayList<>();
      for (String c : columns) {
        parts.add(c + "=" + r.get(r.fieldIndex(c)));
      }
      spark.add(String.join("|", parts));
    }
    TreeSet<String> kernel = readWithKernel(store.trialsPath(), columns);
    assertEquals(4, kernel.size());
    assertEquals(spark, kernel);
  }

  @Test
  void storeReader_atPath_readsWithoutSparkWhatTheStoreWrote() {
    DeltaTrialStore store = DeltaTrialStoreTest.store();
    store.commit(List.of(DeltaTrialStoreTest.trial("k1", 1, 1, TrialStatus.COMPLETE),
        DeltaTrialStoreTest.trial("k1", 2, 1, TrialStatus.FAILED), DeltaTrialStoreTest.trial("k2", 1, 1,
            TrialStatus.COMPLETE)));
    store.commit(List.of(DeltaTrialStoreTest.withMember(DeltaTrialStoreTest.trial("k1", 3, 2, TrialStatus.COMPLETE),
        new io.tunelake.study.Member(1, 1, 2))));
    store.saveStudy(DeltaTrialStoreTest.studyRow("k1", "MINIMIZE"));
    StoreReader kernel = StoreReader.atPath(store.trialsPath().replaceAll("/trials$", ""));

    assertEquals(store.history("k1"), kernel.trials("k1"));
    assertEquals(store.history("k2"), kernel.trials("k2"));
    assertEquals(List.of(), kernel.trials("nobody"));
    assertEquals(store.study("k1"), kernel.study("k1"));
    assertEquals(Optional.empty(), kernel.study("k2"));
  }

  @Test
  void storeReader_atPathWithoutTables_saysWhereItLooked() {
    String base = SparkTestSession.tempDir("none").toString();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StoreReader.atPath(base));
    assertEquals("no TuneLake tables under '" + base + "' (expected " + base + "/trials); run a study first or "
        + "pass --store", e.getMessage());
  }
}
