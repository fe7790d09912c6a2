package io.tunelake.spark;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.SparkSession;

/**
 * The weights of a population-based study's models, one file per (trial, fold) under
 * {@code <store>/pbt/<study>/trial-<id>/fold-<k>.weights} (docs/tables.md, "Files under the
 * store"): the number of weights, then each as a big-endian double. A trial's files are written
 * before its round is committed, so every committed trial's weights are there when a resumed
 * study continues from them; a round that was not committed is written again.
 */
final class SparkWeights {
  private final SparkSession spark;
  private final Path dir;

  SparkWeights(SparkSession spark, String storePath, String study) {
    this.spark = spark;
    this.dir = new Path(new Path(storePath, "pbt"), study);
  }

  private Path file(int trialId, int fold) {
    return new Path(new Path(dir, "trial-" + trialId), "fold-" + fold + ".weights");
  }

  private FileSystem fs() throws IOException {
    return dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
  }

  void write(int trialId, int fold, Vector weights) {
    Path f = file(trialId, fold);
    try (DataOutputStream out = fs().create(f, true)) {
      double[] w = weights.toArray();
      out.writeInt(w.length);
      for (double x : w) {
        out.writeDouble(x);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing the weights of trial " + trialId + " to " + f + " failed", e);
    }
  }

  Vector read(int trialId, int fold) {
    Path f = file(trialId, fold);
    try (DataInputStream in = fs().open(f)) {
      double[] w = new double[in.readInt()];
      for (int i = 0; i < w.length; i++) {
        w[i] = in.readDouble();
      }
      return Vectors.dense(w);
    } catch (IOException e) {
      throw new UncheckedIOException("the weights of trial " + trialId + " are missing or unreadable at " + f
          + "; a population-based study continues from the weights under its store", e);
    }
  }
}
