package org.slimlab.kernel.render;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import org.slimlab.kernel.runtime.DisplaySink;
import org.slimlab.ui.LiveView;
import org.slimlab.ui.Progress;

import java.util.Locale;
import java.util.UUID;

/**
 * A live view as ONE notebook output updated in place: the first update displays it (with a display id), later
 * ones replace it, at most every {@code minIntervalMillis} (the last state is always shown on close).
 */
public final class NotebookLiveView implements LiveView {

    private final String title;
    private final DisplaySink sink;
    private final long minIntervalMillis;
    private final String id = "slimlab-live-" + UUID.randomUUID();

    private boolean shown;
    private long lastSentAt;
    private Progress pending;

    public NotebookLiveView(String title, DisplaySink sink, long minIntervalMillis) {
        this.title = title;
        this.sink = sink;
        this.minIntervalMillis = minIntervalMillis;
    }

    public String displayId() {
        return id;
    }

    @Override
    public synchronized void update(Progress status) {
        long now = System.currentTimeMillis();
        boolean finished = status.total() > 0 && status.step() >= status.total();
        if (shown && !finished && now - lastSentAt < minIntervalMillis) {
            pending = status;
            return;
        }
        send(status, now);
    }

    @Override
    public synchronized void close() {
        if (pending != null) send(pending, System.currentTimeMillis());
    }

    private void send(Progress status, long now) {
        DisplayData data = render(title, status);
        data.setDisplayId(id);
        if (shown) {
            sink.update(id, data);
        } else {
            sink.display(data);
            shown = true;
        }
        lastSentAt = now;
        pending = null;
    }

    /** text/plain: the progress line; text/html: title, a bar, metrics and ETA. */
    public static DisplayData render(String title, Progress p) {
        DisplayData d = new DisplayData(p.line());
        StringBuilder h = new StringBuilder("<div class=\"slimlab-progress\" style=\"font-family:monospace\">");
        if (title != null && !title.isBlank() && !title.equals(p.task())) {
            h.append("<b>").append(Html.escape(title)).append("</b> ");
        }
        h.append(Html.escape(p.task())).append(' ');
        if (p.total() > 0) {
            h.append(String.format(Locale.ROOT, "<progress value=\"%d\" max=\"%d\" style=\"width:20em\"></progress> %d/%d (%.0f%%)",
                    p.step(), p.total(), p.step(), p.total(), 100 * p.fraction()));
        } else {
            h.append("step ").append(p.step());
        }
        if (p.metrics() != null && !p.metrics().isEmpty()) h.append(" &nbsp; ").append(Html.escape(p.metrics()));
        if (p.eta() != null) h.append(" &nbsp; ETA ").append(Progress.formatDuration(p.eta()));
        d.putHTML(h.append("</div>").toString());
        return d;
    }
}
