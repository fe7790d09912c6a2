/**
 * The study report: one self-contained HTML page (no scripts, no network) with a summary, a
 * leaderboard, the optimization history, slice plots, parallel coordinates, parameter
 * importance, a corrected resampled t-test of the top trials against the best, score against
 * budget for multi-fidelity studies, the Pareto front and its hypervolume for studies of several
 * objectives, and each member over its generations for population-based training; every plot
 * is also written as an SVG file beside the page. It is built from trials and a
 * {@link io.tunelake.report.ReportContext} only, so it needs no Spark:
 * {@link io.tunelake.report.StudyReport#write} is the entry point.
 */
package io.tunelake.report;
