package org.slimlab.kernel.render;

import io.github.spencerpark.jupyter.kernel.display.Renderer;

import java.util.function.Consumer;

/**
 * Registers every SlimLab renderer. Each family is registered only if its library is on the class path, so the
 * kernel starts with any subset of them (BufferedImage is rendered as image/png by the base kernel).
 */
public final class Renderers {

    private Renderers() {}

    public static Renderer registerAll(Renderer renderer) {
        tryRegister(renderer, ChartRenderer::register);
        tryRegister(renderer, TableRenderer::register);
        tryRegister(renderer, NDArrayRenderer::register);
        tryRegister(renderer, DisplayableRenderer::register);
        return renderer;
    }

    private static void tryRegister(Renderer renderer, Consumer<Renderer> registration) {
        try {
            registration.accept(renderer);
        } catch (LinkageError missingLibrary) {
            // that library is not on the class path: its objects render as text
        }
    }
}
