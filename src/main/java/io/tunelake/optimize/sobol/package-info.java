/**
 * Quasi-random search: the scrambled Sobol design of {@link io.tunelake.optimize.Startup} (Sobol
 * 1967; direction numbers of Joe and Kuo 2008, from Commons Math, with a seeded random digital
 * shift) run for every slot, which spreads points over the unit cube more evenly than
 * independent draws.
 */
package io.tunelake.optimize.sobol;
