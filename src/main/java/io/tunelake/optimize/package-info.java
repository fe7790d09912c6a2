/**
 * Optimizers: the ask contract ({@link io.tunelake.optimize.Optimizer}), the registry that maps
 * spec names to algorithms ({@link io.tunelake.optimize.Optimizers}), and one sub-package per
 * algorithm. Optimizers are stateless between calls and deterministic for a seed and history.
 * Plain Java, no Spark.
 */
package io.tunelake.optimize;
