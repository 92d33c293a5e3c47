package org.slimlab.kernel.render;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.RenderContext;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import org.slimlab.ui.Displayable;

/** A SlimLab {@link Displayable} shows as its {@link Displayable#displayValue()}, rendered in turn. */
public final class DisplayableRenderer {

    private static final int MAX_DEPTH = 8;

    private DisplayableRenderer() {}

    public static void register(Renderer renderer) {
        renderer.createRegistration(Displayable.class).register(DisplayableRenderer::render);
    }

    static void render(Displayable d, RenderContext context) {
        Object value = d;
        int depth = 0;
        while (value instanceof Displayable dd && depth++ < MAX_DEPTH) value = dd.displayValue();
        if (value == null || value instanceof Displayable) {
            context.getOutputContainer().putText(String.valueOf(d));
            return;
        }
        DisplayData inner = value instanceof DisplayData data ? data : context.getRenderer().render(value);
        context.getOutputContainer().assign(inner);
    }
}
