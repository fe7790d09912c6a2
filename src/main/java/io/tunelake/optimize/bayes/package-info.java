/**
 * The recommended default optimizer, {@code bayes}: Gaussian-process BO where it is strongest
 * (flat spaces of up to 16 searched dimensions, mostly numeric, up to 1,000 trials) and TPE
 * elsewhere (conditional spaces, many categorical or many dimensions, long studies).
 */
package io.tunelake.optimize.bayes;
