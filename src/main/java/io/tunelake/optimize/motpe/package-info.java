/** Multi-objective TPE (Ozaki et al. 2020), registered as {@code motpe}. */
package io.tunelake.optimize.motpe;
