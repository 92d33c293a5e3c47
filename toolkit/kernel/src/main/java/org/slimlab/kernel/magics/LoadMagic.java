package org.slimlab.kernel.magics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code %load file.jsh [more files]} runs the files' Java code (and magics) as if typed in this cell. */
public final class LoadMagic {

    /** Runs source text the way a cell is run; returns its value. */
    @FunctionalInterface
    public interface SourceRunner {
        Object run(String source) throws Exception;
    }

    private final SourceRunner runner;

    public LoadMagic(SourceRunner runner) {
        this.runner = runner;
    }

    public void registerInto(MagicRegistry registry) {
        registry.line("load", (args, raw) -> load(args));
    }

    private Object load(List<String> args) throws Exception {
        if (args.isEmpty()) throw new MagicRegistry.MagicException("Usage: %load file.jsh [...]");
        Object last = null;
        for (String a : args) {
            String name = a.startsWith("~/") ? System.getProperty("user.home") + a.substring(1) : a;
            Path p = Path.of(name);
            if (!Files.isRegularFile(p)) {
                throw new MagicRegistry.MagicException("%load: no such file " + p.toAbsolutePath().normalize());
            }
            last = runner.run(Files.readString(p));
        }
        return last;
    }
}
