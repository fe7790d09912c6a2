/**
 * The Delta side of the trial store: the {@code trials} and {@code studies} tables, their
 * schemas and their upgrade from earlier builds, the one-append-per-round commit that never
 * duplicates a trial, and the reads that rebuild a study's history.
 */
package io.tunelake.delta;
