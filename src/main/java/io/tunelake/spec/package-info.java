/**
 * The job spec: YAML parsing, overrides, defaults and validation with messages that name the
 * field, the value and what was expected. Checks that depend on the estimator's parameters or
 * the data's schema happen in {@code io.tunelake.spark}, still before any tuning job. Plain
 * Java, no Spark.
 */
package io.tunelake.spec;
