/**
 * The study: the round loop that asks an optimizer for a batch, has an {@link
 * io.tunelake.study.Objective} score it and commits it to a {@link io.tunelake.study.TrialStore};
 * trials, fold statistics and budgets. It sees only those two roles, so it runs with a stub
 * objective and an in-memory store as well as with Spark and Delta. Plain Java, no Spark.
 */
package io.tunelake.study;
