package io.tunelake.delta;

import io.tunelake.study.Trial;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * What the read-only commands ({@code trials}, {@code best}, {@code report}) read from a store:
 * a study's trials and its row. {@link #atPath} reads the Delta tables directly with Delta
 * Kernel, without starting Spark; {@link #inCatalog} reads tables registered in a catalog
 * database, which only Spark can resolve.
 */
public interface StoreReader {

  /** Every trial of {@code study}, ordered by trial id; empty when it has none. */
  List<Trial> trials(String study);

  /** The study's row in {@code studies}, if it has one. */
  Optional<StudyRow> study(String study);

  /**
   * Reads the tables under {@code base} with Delta Kernel. Throws {@link IllegalArgumentException}
   * when there are no TuneLake tables there.
   */
  static StoreReader atPath(String base) {
    return KernelStoreReader.open(base);
  }

  /** Reads {@code database.trials} and {@code database.studies} from Spark's session catalog. */
  static StoreReader inCatalog(SparkSession spark, String database) {
    return new CatalogStoreReader(spark, database);
  }
}
