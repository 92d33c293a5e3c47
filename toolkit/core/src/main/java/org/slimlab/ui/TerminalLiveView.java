package org.slimlab.ui;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * The terminal's live view: an in-place progress bar (me.tongfei:progressbar) on an interactive terminal; in logs
 * and CI (no console) a plain line at most every 10 s and at the end, so logs stay short.
 */
final class TerminalLiveView implements LiveView {

    private static final long LOG_INTERVAL_MS = 10_000;

    private final String title;
    private final boolean interactive = System.console() != null && !"true".equals(System.getenv("CI"));
    private ProgressBar bar;
    private Progress last;
    private long lastPrinted;

    TerminalLiveView(String title) {
        this.title = title;
    }

    @Override
    public synchronized void update(Progress p) {
        last = p;
        if (interactive) {
            if (bar == null || bar.getMax() != p.total()) {
                if (bar != null) bar.close();
                bar = new ProgressBarBuilder().setTaskName(p.task()).setInitialMax(p.total())
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
            }
            bar.setExtraMessage(p.metrics() == null ? "" : p.metrics());
            bar.stepTo(p.step());
        } else {
            long now = System.currentTimeMillis();
            if (now - lastPrinted >= LOG_INTERVAL_MS) {
                out().println("[" + title + "] " + p.line());
                lastPrinted = now;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        } else if (last != null) {
            out().println("[" + title + "] " + last.line());
        }
    }

    private static PrintStream out() { return System.err; }
}
