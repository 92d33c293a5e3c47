package org.slimlab.ui;

import java.util.Objects;
import java.util.function.Function;

/**
 * Where live views come from. The terminal default draws a progress bar on stderr; the Jupyter kernel installs a
 * factory that renders one notebook display and updates it in place.
 */
public final class LiveViews {

    private static volatile Function<String, LiveView> factory = TerminalLiveView::new;

    private LiveViews() {}

    /** Opens a view titled {@code title} with the installed factory. */
    public static LiveView open(String title) {
        return factory.apply(title);
    }

    /** Installs the factory used by {@link #open(String)} (the kernel calls this once at start-up). */
    public static void install(Function<String, LiveView> newFactory) {
        factory = Objects.requireNonNull(newFactory);
    }

    /** Restores the terminal default. */
    public static void reset() {
        factory = TerminalLiveView::new;
    }
}
