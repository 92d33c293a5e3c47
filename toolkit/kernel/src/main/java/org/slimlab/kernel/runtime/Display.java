package org.slimlab.kernel.runtime;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;

import java.util.UUID;

/**
 * The display statics of notebooks, the same as IJava's: preloaded in every notebook with
 * {@code import static org.slimlab.kernel.runtime.Display.*;}.
 *
 * <pre>{@code
 * String id = display("starting...");          // a new output; keep its id
 * updateDisplay(id, "epoch 3: loss 0.41");     // replaces that output in place
 * display(chart, "image/svg+xml");             // choose the MIME types
 * DisplayData d = render(table);               // rendered, not shown
 * }</pre>
 */
public final class Display {

    private Display() {}

    /** Renders {@code o} with the kernel's renderers (its preferred MIME types). */
    public static DisplayData render(Object o) {
        Kernel.Services k = Kernel.get();
        return o == null ? new DisplayData("null") : k.renderer().render(o);
    }

    /** Renders {@code o} as the given MIME types (e.g. {@code "image/svg+xml"}, {@code "text/html"}); text/plain always. */
    public static DisplayData render(Object o, String... mimeTypes) {
        Kernel.Services k = Kernel.get();
        if (o == null) return new DisplayData("null");
        return mimeTypes.length == 0 ? k.renderer().render(o) : k.renderer().renderAs(o, mimeTypes);
    }

    /** Shows {@code o} as a new output of the running cell; returns its display id (for {@link #updateDisplay}). */
    public static String display(Object o) {
        return show(render(o));
    }

    /** Shows {@code o} rendered as the given MIME types; returns its display id. */
    public static String display(Object o, String... mimeTypes) {
        return show(render(o, mimeTypes));
    }

    /** Replaces the output with display id {@code id} by {@code o}. */
    public static void updateDisplay(String id, Object o) {
        DisplayData data = o instanceof DisplayData d ? copy(d) : render(o);
        data.setDisplayId(id);
        Kernel.get().displays().update(id, data);
    }

    /** Replaces the output with display id {@code id} by {@code o} rendered as the given MIME types. */
    public static void updateDisplay(String id, Object o, String... mimeTypes) {
        DisplayData data = o instanceof DisplayData d ? copy(d) : render(o, mimeTypes);
        data.setDisplayId(id);
        Kernel.get().displays().update(id, data);
    }

    private static String show(DisplayData data) {
        String id = data.getDisplayId();
        if (id == null) {
            id = UUID.randomUUID().toString();
            data.setDisplayId(id);
        }
        Kernel.get().displays().display(data);
        return id;
    }

    private static DisplayData copy(DisplayData d) {
        DisplayData c = new DisplayData();
        c.assign(d);
        return c;
    }
}
