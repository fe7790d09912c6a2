/**
 * The covariance matrix adaptation evolution strategy (Hansen and Ostermeier 2001; Hansen 2016,
 * "The CMA Evolution Strategy: A Tutorial") over the unit cube, rebuilt on every ask by replaying
 * the history generation by generation, so it keeps no state between calls.
 * {@link io.tunelake.optimize.cmaes.CmaEs} holds the update;
 * {@link io.tunelake.optimize.cmaes.CmaEsOptimizer} adapts it to the ask contract.
 */
package io.tunelake.optimize.cmaes;
