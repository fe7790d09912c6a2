/**
 * The Spark side of a study: data loading, the held-out split and fold assignment, per-fold
 * featurization fitted once and cached, the estimator catalogue and its params, MLlib's
 * metrics, concurrent cross-validation of a batch of trials, and the refit of the best one; and
 * the synthetic data {@code datagen} writes for benchmarks.
 */
package io.tunelake.spark;
