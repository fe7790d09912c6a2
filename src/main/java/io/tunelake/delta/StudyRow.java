package io.tunelake.delta;

import java.time.Instant;

/** One row of the {@code studies} table: what a study is and how it ended. */
public record StudyRow(
    String study,
    String status,
    String estimator,
    String metric,
    String direction,
    String algorithm,
    long seed,
    int trialBudget,
    int folds,
    String strategy,
    String dataLocation,
    String dataFormat,
    String specYaml,
    String specHash,
    Integer trialsTotal,
    Integer bestTrialId,
    Double bestMean,
    String bestParamsJson,
    Double testMetric,
    Long testRows,
    String modelPath,
    Long wallMs,
    String tunelakeVersion,
    String sparkVersion,
    Instant createdAt,
    Instant updatedAt) {}
