package io.tunelake.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Synthetic classification and regression data for benchmarks, in the spirit of scikit-learn's
 * {@code make_classification}: informative columns drive the label, redundant columns are
 * linear combinations of the informative ones, categorical string columns shift the label by
 * level, and noise columns carry nothing.
 *
 * <p>Every row is drawn from its own generator, seeded by a hash of (seed, row id), so the data
 * is a function of the shape and seed alone: any partition count gives the same rows, and no
 * row is made on the driver. Columns: {@code label}, then {@code x0..} (informative, redundant,
 * noise, in that order), then {@code c0..} (levels {@code v0..}).
 *
 * <p>Labels: a linear score {@code lin} (informative weights and level effects, scaled to unit
 * variance; 3/4 of it from the informative columns when both kinds are present) and a
 * nonlinear one {@code nl = x0 * x1} (or {@code (x0² − 1)/√2} with one informative column).
 * Classification draws the label from {@code sigmoid(2.5 (√0.85 lin + √0.15 nl))} (softmax over
 * one such score per class for more than two classes), so logistic regression reaches an AUC
 * near 0.86 and no model beats about 0.89. Regression is {@code lin + 0.5 nl + 0.5 ε}.
 */
public final class SparkSyntheticData {
  /** The label column. */
  public static final String LABEL = "label";
  static final double SCALE = 2.5;
  static final double NONLINEAR_SHARE = 0.15;
  static final double CATEGORICAL_SHARE = 0.25;

  private SparkSyntheticData() {}

  /**
   * What to generate. The checks name the {@code datagen} options, since that is where these
   * values come from.
   *
   * @param features all columns but the label: informative + redundant + categorical + noise
   * @param classes the number of classes for classification (ignored for regression)
   * @param levels the number of levels of each categorical column
   */
  public record Shape(Task task, long rows, int features, int informative, int redundant, int categorical,
      int classes, int levels, long seed) implements Serializable {
    public Shape {
      if (task != Task.CLASSIFICATION && task != Task.REGRESSION) {
        throw new IllegalArgumentException("--task must be classification or regression, but got " + task);
      }
      atLeast("--rows", rows, 1);
      atLeast("--features", features, 1);
      atLeast("--informative", informative, 0);
      atLeast("--redundant", redundant, 0);
      atLeast("--categorical", categorical, 0);
      if ((long) informative + redundant + categorical > features) {
        throw new IllegalArgumentException(String.format("--informative (%d) + --redundant (%d) + --categorical (%d) "
            + "= %d must be at most --features (%d); lower one of them or raise --features", informative, redundant,
            categorical, (long) informative + redundant + categorical, features));
      }
      if (informative + categorical == 0) {
        throw new IllegalArgumentException("--informative and --categorical are both 0, so the label would be pure "
            + "noise; set at least one of them to 1 or more");
      }
      if (redundant > 0 && informative == 0) {
        throw new IllegalArgumentException("--redundant " + redundant + " needs informative columns to combine, but "
            + "--informative is 0; set --informative to 1 or more, or --redundant to 0");
      }
      if (task == Task.CLASSIFICATION && (classes < 2 || classes > SparkData.MAX_CLASSES)) {
        throw new IllegalArgumentException("--classes must be between 2 and " + SparkData.MAX_CLASSES
            + " for classification, but got " + classes);
      }
      if (levels < 2 || levels > 10_000) {
        throw new IllegalArgumentException("--levels must be between 2 and 10000, but got " + levels);
      }
    }

    private static void atLeast(String option, long value, long min) {
      if (value < min) {
        throw new IllegalArgumentException(option + " must be at least " + min + ", but got " + value);
      }
    }

    /** The columns that carry nothing. */
    public int noise() {
      return features - informative - redundant - categorical;
    }

    /** The numeric columns {@code x0..}. */
    public int numeric() {
      return features - categorical;
    }
  }

  /** The columns of {@code shape}'s data, label first. */
  public static StructType schema(Shape shape) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(LABEL,
        shape.task() == Task.CLASSIFICATION ? DataTypes.IntegerType : DataTypes.DoubleType, false));
    for (int j = 0; j < shape.numeric(); j++) {
      fields.add(DataTypes.createStructField("x" + j, DataTypes.DoubleType, false));
    }
    for (int k = 0; k < shape.categorical(); k++) {
      fields.add(DataTypes.createStructField("c" + k, DataTypes.StringType, false));
    }
    return DataTypes.createStructType(fields);
  }

  /** The data, lazily, in {@code partitions} partitions of consecutive row ids. */
  public static Dataset<Row> generate(SparkSession spark, Shape shape, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1, but got " + partitions);
    }
    StructType schema = schema(shape);
    return spark.range(0, shape.rows(), 1, partitions)
        .map(new RowMaker(shape, Coefficients.draw(shape)), Encoders.row(schema));
  }

  /** A well-mixed 64-bit seed for one row (SplitMix64's finaliser over the seed and the id). */
  static long rowSeed(long seed, long id) {
    return mix64(mix64(seed) + id * 0x9E3779B97F4A7C15L);
  }

  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * The fixed part of the model, drawn on the driver from the seed alone: one score per class
   * (one in all for binary classification and regression), each with unit-norm informative
   * weights and level effects centred and scaled to unit variance.
   */
  record Coefficients(double[][] weights, double[][][] effects, double[] nonlinearSign, double[][] mixing)
      implements Serializable {

    static Coefficients draw(Shape s) {
      SplittableRandom r = new SplittableRandom(mix64(s.seed() ^ 0x5DEECE66DL));
      int scores = s.task() == Task.CLASSIFICATION && s.classes() > 2 ? s.classes() : 1;
      double[][] weights = new double[scores][];
      double[][][] effects = new double[scores][][];
      double[] sign = new double[scores];
      for (int c = 0; c < scores; c++) {
        weights[c] = unit(gaussians(r, s.informative()));
        effects[c] = new double[s.categorical()][];
        double variance = 0;
        for (int k = 0; k < s.categorical(); k++) {
          double[] e = gaussians(r, s.levels());
          double mean = 0;
          for (double v : e) {
            mean += v / e.length;
          }
          for (int l = 0; l < e.length; l++) {
            e[l] -= mean;
            variance += e[l] * e[l] / e.length;
          }
          effects[c][k] = e;
        }
        double f = variance > 0 ? 1 / Math.sqrt(variance) : 0;
        for (double[] e : effects[c]) {
          for (int l = 0; l < e.length; l++) {
            e[l] *= f;
          }
        }
        sign[c] = r.nextBoolean() ? 1 : -1;
      }
      double[][] mixing = new double[s.redundant()][];
      for (int i = 0; i < mixing.length; i++) {
        double[] a = new double[s.informative()];
        for (int j = 0; j < a.length; j++) {
          a[j] = r.nextDouble(-1, 1);
        }
        mixing[i] = unit(a);
      }
      return new Coefficients(weights, effects, sign, mixing);
    }

    private static double[] gaussians(SplittableRandom r, int n) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = r.nextGaussian();
      }
      return v;
    }

    private static double[] unit(double[] v) {
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < v.length && norm > 0; i++) {
        v[i] /= norm;
      }
      return v;
    }
  }

  /** Makes row {@code id} from its own generator; serialisable for executors. */
  static final class RowMaker implements MapFunction<Long, Row> {
    private static final long serialVersionUID = 1L;
    private final Shape shape;
    private final Coefficients coef;
    private final String[] levelNames;
    private final double informativeShare;

    RowMaker(Shape shape, Coefficients coef) {
      this.shape = shape;
      this.coef = coef;
      this.levelNames = new String[shape.levels()];
      for (int l = 0; l < levelNames.length; l++) {
        levelNames[l] = "v" + l;
      }
      // Variance shares of the linear score; either kind alone gets all of it.
      this.informativeShare = shape.categorical() == 0 ? 1 : shape.informative() == 0 ? 0 : 1 - CATEGORICAL_SHARE;
    }

    @Override
    public Row call(Long id) {
      Shape s = shape;
      SplittableRandom r = new SplittableRandom(rowSeed(s.seed(), id));
      double[] x = new double[s.informative()];
      for (int j = 0; j < x.length; j++) {
        x[j] = r.nextGaussian();
      }
      int[] level = new int[s.categorical()];
      for (int k = 0; k < level.length; k++) {
        level[k] = r.nextInt(s.levels());
      }
      Object[] values = new Object[1 + s.features()];
      int at = 1;
      for (double v : x) {
        values[at++] = v;
      }
      for (double[] a : coef.mixing()) {
        values[at++] = dot(a, x);
      }
      for (int j = 0; j < s.noise(); j++) {
        values[at++] = r.nextGaussian();
      }
      for (int l : level) {
        values[at++] = levelNames[l];
      }
      values[0] = label(r, x, level);
      return RowFactory.create(values);
    }

    private Object label(SplittableRandom r, double[] x, int[] level) {
      double nl = x.length >= 2 ? x[0] * x[1] : x.length == 1 ? (x[0] * x[0] - 1) / Math.sqrt(2) : 0;
      int scores = coef.weights().length;
      double[] z = new double[scores];
      for (int c = 0; c < scores; c++) {
        double cat = 0;
        for (int k = 0; k < level.length; k++) {
          cat += coef.effects()[c][k][level[k]];
        }
        double lin = Math.sqrt(informativeShare) * dot(coef.weights()[c], x)
            + Math.sqrt(1 - informativeShare) * cat;
        z[c] = shape.task() == Task.REGRESSION ? lin + 0.5 * nl
            : SCALE * (Math.sqrt(1 - NONLINEAR_SHARE) * lin + Math.sqrt(NONLINEAR_SHARE) * coef.nonlinearSign()[c] * nl);
      }
      if (shape.task() == Task.REGRESSION) {
        return z[0] + 0.5 * r.nextGaussian();
      }
      double u = r.nextDouble();
      if (scores == 1) {
        return u < 1 / (1 + Math.exp(-z[0])) ? 1 : 0;
      }
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        max = Math.max(max, v);
      }
      double total = 0;
      for (int c = 0; c < scores; c++) {
        z[c] = Math.exp(z[c] - max);
        total += z[c];
      }
      double acc = 0;
      for (int c = 0; c < scores - 1; c++) {
        acc += z[c] / total;
        if (u < acc) {
          return c;
        }
      }
      return scores - 1;
    }

    private static double dot(double[] a, double[] b) {
      double s = 0;
      for (int i = 0; i < a.length; i++) {
        s += a[i] * b[i];
      }
      return s;
    }
  }
}
