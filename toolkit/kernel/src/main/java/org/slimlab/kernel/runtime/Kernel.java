package org.slimlab.kernel.runtime;

import io.github.spencerpark.jupyter.kernel.display.Renderer;
import org.slimlab.kernel.magics.MagicRegistry;

/**
 * The running kernel's services, for the statics user code calls ({@link Display}, {@link Magics}). The kernel
 * registers itself at start-up; user code runs in the same JVM, so it sees the same instance.
 */
public final class Kernel {

    /** What the runtime statics need from a kernel. */
    public interface Services {
        Renderer renderer();

        DisplaySink displays();

        MagicRegistry magics();
    }

    private static volatile Services instance;

    private Kernel() {}

    /** Registers the running kernel (or {@code null} when it stops). */
    public static void register(Services services) {
        instance = services;
    }

    /** The running kernel; throws if there is none (plain {@code java}, not a notebook). */
    public static Services get() {
        Services s = instance;
        if (s == null) throw new IllegalStateException("No SlimLab kernel is running (display() works in a notebook)");
        return s;
    }

    /** The running kernel, or {@code null}. */
    public static Services getKernelInstance() {
        return instance;
    }
}
