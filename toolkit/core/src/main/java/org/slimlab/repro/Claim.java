package org.slimlab.repro;

/**
 * A claim of a paper (or of our protocol) checked as code: what is claimed, the measured value, the threshold it is
 * compared with (described in words) and whether it holds. Thresholds are fixed before running, never tuned.
 */
public record Claim(String statement, double measured, String threshold, boolean holds) {

    /** measured >= threshold. */
    public static Claim atLeast(String statement, double measured, double threshold) {
        return new Claim(statement, measured, ">= " + fmt(threshold), measured >= threshold);
    }

    /** measured <= threshold. */
    public static Claim atMost(String statement, double measured, double threshold) {
        return new Claim(statement, measured, "<= " + fmt(threshold), measured <= threshold);
    }

    private static String fmt(double v) { return Math.abs(v) < 1e-3 && v != 0 ? String.format("%.1e", v) : String.format("%.4f", v); }
}
