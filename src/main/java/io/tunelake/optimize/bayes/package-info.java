/**
 * The recommended default optimizer, {@code bayes}: Gaussian-process BO where it measured best
 * (every benchmark function, up to 16 searched dimensions and 1,000 trials) and TPE beyond,
 * where the GP's cost and approximations grow.
 */
package io.tunelake.optimize.bayes;
