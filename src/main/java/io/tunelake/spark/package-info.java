/**
 * The Spark side of a study: data loading, the held-out split and fold assignment, per-fold
 * featurization fitted once and cached, the estimator catalogue and its params, MLlib's
 * metrics, concurrent cross-validation of a batch of trials, and the refit of the best one.
 */
package io.tunelake.spark;
