package io.tunelake.delta;

import io.tunelake.study.DataProfile;
import java.time.Instant;

/**
 * One row of the {@code studies} table: what a study is and how it ended. {@code utilisation}
 * is the share of executor core time its last tuning loop kept busy, in [0, 1], null when
 * unknown; {@code profile} describes the training data (null in rows written before it was
 * recorded).
 */
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
    Double utilisation,
    String tunelakeVersion,
    String sparkVersion,
    Instant createdAt,
    Instant updatedAt,
    DataProfile profile) {}
