package org.slimlab.ui;

import java.time.Duration;

/**
 * A snapshot of long-running work: where it is (step of total), what it measures now (a short metrics text such as
 * {@code "loss 0.412 acc 0.861"}) and when it will end.
 *
 * @param task    what is running, e.g. {@code "train resnet20 epoch 3/10"}
 * @param step    steps done so far
 * @param total   steps in all (0 when unknown)
 * @param metrics current metrics as short text
 * @param eta     estimated time left, or {@code null} when unknown
 */
public record Progress(String task, long step, long total, String metrics, Duration eta) {

    /** Fraction done in [0, 1], or 0 when the total is unknown. */
    public double fraction() {
        return total <= 0 ? 0 : Math.min(1.0, (double) step / total);
    }

    /** One line for a terminal or a plain-text display. */
    public String line() {
        StringBuilder s = new StringBuilder(task);
        if (total > 0) s.append(String.format(" %d/%d (%.0f%%)", step, total, 100 * fraction()));
        if (metrics != null && !metrics.isEmpty()) s.append("  ").append(metrics);
        if (eta != null) s.append("  ETA ").append(formatDuration(eta));
        return s.toString();
    }

    /** {@code 1h02m03s}, {@code 2m05s} or {@code 7s}. */
    public static String formatDuration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) return String.format("%dh%02dm%02ds", s / 3600, (s % 3600) / 60, s % 60);
        if (s >= 60) return String.format("%dm%02ds", s / 60, s % 60);
        return s + "s";
    }
}
