/**
 * The tree-structured Parzen estimator (Bergstra et al. 2011, "Algorithms for
 * Hyper-Parameter Optimization"), with the refinements of Bergstra et al. 2013 and Watanabe
 * 2023 ("Tree-structured Parzen estimator: understanding its algorithm components"): a
 * good/bad split that grows with the history, a prior component, bandwidths per kind of
 * parameter, a multivariate kernel, and a constant liar for batches.
 * {@link io.tunelake.optimize.tpe.ParzenEstimator} holds the density math;
 * {@link io.tunelake.optimize.tpe.TpeOptimizer} adapts it to the ask contract.
 */
package io.tunelake.optimize.tpe;
