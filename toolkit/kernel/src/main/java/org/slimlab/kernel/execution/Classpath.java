package org.slimlab.kernel.execution;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** This JVM's class path as the compiler needs it (manifest-only launcher jars expanded). */
public final class Classpath {

    private Classpath() {}

    /** Entries of {@code java.class.path}, with the {@code Class-Path} of jars that only carry a manifest. */
    public static List<String> ofThisJvm() {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            out.add(entry);
            if (entry.endsWith(".jar")) out.addAll(manifestClassPath(Path.of(entry)));
        }
        return new ArrayList<>(out);
    }

    private static List<String> manifestClassPath(Path jar) {
        List<String> out = new ArrayList<>();
        if (!Files.isRegularFile(jar)) return out;
        try (JarFile f = new JarFile(jar.toFile())) {
            Manifest m = f.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (cp == null || cp.isBlank()) return out;
            for (String item : cp.trim().split("\\s+")) {
                try {
                    Path p = item.startsWith("file:") ? Path.of(URI.create(item)) : jar.resolveSibling(item);
                    out.add(p.toString());
                } catch (RuntimeException ignored) {
                    // not a file entry
                }
            }
        } catch (IOException ignored) {
            // unreadable jar: keep it as it is
        }
        return out;
    }
}
