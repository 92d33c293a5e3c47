package org.slimlab.results;

/**
 * One evaluated network: accuracy and the MACs/params counted on it (physically compact), with ratios to the
 * dense reference model of the same method.
 */
public record ResultRow(String method, String arm, int seed, String scale, double accuracy, long macs, long params,
                        double macsRatio, double paramsRatio, double wallSeconds, int epochs, String configHash,
                        String startedAt, String note) {}
