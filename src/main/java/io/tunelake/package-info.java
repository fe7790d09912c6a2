/**
 * The public API a Spark job imports: {@link io.tunelake.TuneLakeValidator}, an MLlib
 * {@code Estimator} that stands where {@code CrossValidator} stands and runs a study whose
 * trials land in Delta tables; the {@link io.tunelake.TunedModel} it returns; the
 * {@link io.tunelake.ParamSpace} it searches, over the stages' own {@code Param} objects; the
 * {@link io.tunelake.MetricBound} and {@link io.tunelake.Selection} of a study of several
 * objectives; and
 * {@link io.tunelake.TuneLakeErrors}, the messages both the API and the job spec give. Every
 * other package of the jar is internal.
 */
package io.tunelake;
