package io.tunelake.delta;

import static org.apache.spark.sql.functions.col;

import io.tunelake.study.Trial;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A store's tables as a catalog database registers them, read through Spark. */
final class CatalogStoreReader implements StoreReader {
  private final SparkSession spark;
  private final String database;

  CatalogStoreReader(SparkSession spark, String database) {
    this.spark = spark;
    this.database = database;
  }

  private Dataset<Row> table(String name, String study) {
    String qualified = "`" + database + "`.`" + name + "`";
    if (!spark.catalog().tableExists(database, name)) {
      throw new IllegalArgumentException("no table " + qualified + " in the catalog; run a study with "
          + "store.database: " + database + " first, or read the tables by path with --store");
    }
    return spark.table(qualified).where(col("study").equalTo(study));
  }

  @Override
  public List<Trial> trials(String study) {
    return table("trials", study).collectAsList().stream().map(DeltaTrialStore::toTrial)
        .sorted(Comparator.comparingInt(Trial::trialId)).toList();
  }

  @Override
  public Optional<StudyRow> study(String study) {
    return table("studies", study).collectAsList().stream().findFirst().map(r -> DeltaTrialStore.stored(r).toStudy());
  }
}
