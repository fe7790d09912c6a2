/**
 * Gaussian-process Bayesian optimisation (Snoek et al. 2012, "Practical Bayesian Optimization of
 * Machine Learning Algorithms"): a Matérn-5/2 kernel with a length scale per dimension, fitted
 * by maximum a-posteriori marginal likelihood, and the logarithm of expected improvement
 * (Ament et al. 2023, "Unexpected Improvements to Expected Improvement") maximised by many
 * quasi-random starts and BOBYQA refinement (Powell 2009). Batches use the Kriging believer
 * (Ginsbourger et al. 2010). {@link io.tunelake.optimize.gp.GaussianProcess} and
 * {@link io.tunelake.optimize.gp.Acquisition} hold the math;
 * {@link io.tunelake.optimize.gp.GaussianProcessOptimizer} adapts it to the ask contract.
 */
package io.tunelake.optimize.gp;
