package io.tunelake.cli;

import io.tunelake.SparkTestSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tiny study the CLI tests run: logistic regression on the 150-row multiclass sample, scored
 * by accuracy, random search in rounds of 2. Each {@code with...} gives a changed copy.
 */
record TinyStudy(String study, String regParam, int maxIter, int folds, int trials, long seed,
    List<String> warmStart) {

  TinyStudy {
    warmStart = List.copyOf(warmStart);
  }

  /** Four trials, two folds, {@code maxIter} 10, seed 7. */
  static TinyStudy named(String study) {
    return new TinyStudy(study, "{low: 0.001, high: 1.0, log: true}", 10, 2, 4, 7, List.of());
  }

  TinyStudy withRegParam(String range) {
    return new TinyStudy(study, range, maxIter, folds, trials, seed, warmStart);
  }

  TinyStudy withMaxIter(int n) {
    return new TinyStudy(study, regParam, n, folds, trials, seed, warmStart);
  }

  TinyStudy withFolds(int n) {
    return new TinyStudy(study, regParam, maxIter, n, trials, seed, warmStart);
  }

  TinyStudy withTrials(int n) {
    return new TinyStudy(study, regParam, maxIter, folds, n, seed, warmStart);
  }

  TinyStudy withSeed(long s) {
    return new TinyStudy(study, regParam, maxIter, folds, trials, s, warmStart);
  }

  TinyStudy withWarmStart(String... studies) {
    return new TinyStudy(study, regParam, maxIter, folds, trials, seed, List.of(studies));
  }

  String yaml() {
    String warm = warmStart.isEmpty() ? "" : ", warm_start: [" + String.join(", ", warmStart) + "]";
    return String.join("\n",
        "study: " + study,
        "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
        "estimator: logistic_regression",
        "space:",
        "  regParam: " + regParam,
        "  maxIter: " + maxIter,
        "evaluation: {metric: accuracy, folds: " + folds + "}",
        "search: {algorithm: random, trials: " + trials + ", batch_size: 2, seed: " + seed + warm + "}",
        "");
  }

  /** The spec, written to a fresh temporary file. */
  Path file() {
    try {
      Path f = SparkTestSession.tempDir("spec").resolve(study + ".yaml");
      Files.writeString(f, yaml());
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
