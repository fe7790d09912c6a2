/**
 * Optimizers: the ask contract ({@link io.tunelake.optimize.Optimizer}: history and pending in,
 * {@link io.tunelake.optimize.Proposal}s out), the registry that maps spec names to algorithms
 * and lists their options ({@link io.tunelake.optimize.Optimizers},
 * {@link io.tunelake.optimize.Option}), the startup design that model-based optimizers share
 * ({@link io.tunelake.optimize.ModelBasedOptimizer}, {@link io.tunelake.optimize.Startup}), and
 * one sub-package per algorithm, found through {@link io.tunelake.optimize.Algorithm} and never
 * imported here. Optimizers are stateless between calls and deterministic for a seed and
 * history. Plain Java, no Spark.
 */
package io.tunelake.optimize;
