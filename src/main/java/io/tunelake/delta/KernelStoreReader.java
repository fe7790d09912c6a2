package io.tunelake.delta;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.tunelake.study.Trial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a store's tables with Delta Kernel's default engine: the Delta log and the Parquet files,
 * with no SparkSession, so a read-only command answers in the time a JVM takes to start. The
 * trials table is pruned to the study's partition. Hadoop settings given to Spark as
 * {@code spark.hadoop.*} (spark-conf/, {@code -D}) apply here too, so a remote store reads the
 * same way.
 */
final class KernelStoreReader implements StoreReader {
  private final Engine engine;
  private final String base;

  private KernelStoreReader(Engine engine, String base) {
    this.engine = engine;
    this.base = base;
  }

  static KernelStoreReader open(String base) {
    Configuration conf = new Configuration();
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("spark.hadoop."))
        .forEach(k -> conf.set(k.substring("spark.hadoop.".length()), System.getProperty(k)));
    KernelStoreReader reader = new KernelStoreReader(DefaultEngine.create(conf), DeltaTrialStore.qualify(base));
    try {
      reader.snapshot("trials");
    } catch (TableNotFoundException e) {
      throw new IllegalArgumentException("no TuneLake tables under '" + base + "' (expected " + reader.base
          + "/trials); run a study first or pass --store");
    }
    return reader;
  }

  private Snapshot snapshot(String table) {
    return Table.forPath(engine, base + "/" + table).getLatestSnapshot(engine);
  }

  @Override
  public List<Trial> trials(String study) {
    List<Trial> out = new ArrayList<>();
    for (StoredRow r : rows("trials", study)) {
      out.add(r.toTrial());
    }
    out.sort(Comparator.comparingInt(Trial::trialId));
    return out;
  }

  @Override
  public Optional<StudyRow> study(String study) {
    List<StoredRow> rows;
    try {
      rows = rows("studies", study);
    } catch (TableNotFoundException e) {
      return Optional.empty();
    }
    return rows.stream().findFirst().map(StoredRow::toStudy);
  }

  /**
   * The rows of {@code table} whose {@code study} is {@code study}. Kernel prunes the files by
   * the filter where the table is partitioned by study, and only there, so rows are also
   * filtered here.
   */
  private List<StoredRow> rows(String table, String study) {
    Scan scan = snapshot(table).getScanBuilder()
        .withFilter(new Predicate("=", new Column("study"), Literal.ofString(study))).build();
    Row state = scan.getScanState(engine);
    StructType physical = ScanStateRow.getPhysicalDataReadSchema(state);
    List<StoredRow> out = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> scanFiles = files.next().getRows()) {
          while (scanFiles.hasNext()) {
            Row scanFile = scanFiles.next();
            FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
            CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                .readParquetFiles(Utils.singletonCloseableIterator(file), physical, Optional.empty())
                .map(FileReadResult::getData);
            try (CloseableIterator<FilteredColumnarBatch> logical =
                Scan.transformPhysicalData(engine, state, scanFile, data)) {
              while (logical.hasNext()) {
                try (CloseableIterator<Row> rows = logical.next().getRows()) {
                  while (rows.hasNext()) {
                    StoredRow r = stored(rows.next());
                    if (study.equals(r.get("study"))) {
                      out.add(r);
                    }
                  }
                }
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + base + "/" + table + " failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** A Kernel row copied into a {@link StoredRow} (Kernel's rows are views of batches it reuses). */
  static StoredRow stored(Row r) {
    StructType schema = r.getSchema();
    Map<String, Object> values = new HashMap<>();
    for (int i = 0; i < schema.length(); i++) {
      StructField f = schema.at(i);
      if (!r.isNullAt(i)) {
        values.put(f.getName(), value(r, i, f.getDataType()));
      }
    }
    return values::get;
  }

  private static List<Double> doubles(ArrayValue array) {
    ColumnVector elements = array.getElements();
    List<Double> out = new ArrayList<>(array.getSize());
    for (int j = 0; j < array.getSize(); j++) {
      out.add(elements.isNullAt(j) ? null : elements.getDouble(j));
    }
    return out;
  }

  private static Object value(Row r, int i, DataType type) {
    if (type instanceof StringType) {
      return r.getString(i);
    }
    if (type instanceof IntegerType) {
      return r.getInt(i);
    }
    if (type instanceof LongType) {
      return r.getLong(i);
    }
    if (type instanceof DoubleType) {
      return r.getDouble(i);
    }
    if (type instanceof TimestampType) {
      long micros = r.getLong(i);
      return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
    if (type instanceof ArrayType a && a.getElementType() instanceof DoubleType) {
      return doubles(r.getArray(i));
    }
    if (type instanceof MapType m && m.getValueType() instanceof ArrayType) {
      MapValue map = r.getMap(i);
      Map<String, List<Double>> out = new TreeMap<>();
      for (int j = 0; j < map.getSize(); j++) {
        out.put(map.getKeys().getString(j), doubles(map.getValues().getArray(j)));
      }
      return out;
    }
    // The params map is read from params_json instead.
    return null;
  }
}
