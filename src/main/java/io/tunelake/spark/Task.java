package io.tunelake.spark;

/** What an estimator learns, which decides the metrics, the default fold strategy and the label checks. */
public enum Task {
  CLASSIFICATION,
  REGRESSION,
  CLUSTERING,
  RECOMMENDATION
}
