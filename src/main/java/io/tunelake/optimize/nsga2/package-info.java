/** NSGA-II, the elitist multi-objective genetic algorithm of Deb et al. 2002, registered as {@code nsga2}. */
package io.tunelake.optimize.nsga2;
