/**
 * Population-based training (Jaderberg et al. 2017): a population of models trained in steps,
 * the worst copying the weights and settings of the best between steps and perturbing the
 * settings. The decisions are plain Java here ({@link io.tunelake.optimize.pbt.Population});
 * carrying weights from step to step is the fitter's job.
 */
package io.tunelake.optimize.pbt;
