/**
 * Quasi-random search: scrambled Sobol sequences (Sobol 1967; direction numbers of Joe and Kuo
 * 2008, from Commons Math) with a seeded random digital shift, which spread points over the unit
 * cube more evenly than independent draws. Also the startup design of the model-based
 * optimizers.
 */
package io.tunelake.optimize.sobol;
