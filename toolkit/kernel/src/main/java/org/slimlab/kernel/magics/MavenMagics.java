package org.slimlab.kernel.magics;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code %maven group:artifact:version [more coordinates]} resolves artifacts from Maven Central with their
 * dependencies and adds the jars to the class path; {@code %maven --repo URL coords} also searches another
 * repository.
 */
public final class MavenMagics {

    private final MavenResolver resolver;
    private final Consumer<String> addToClasspath;

    public MavenMagics(MavenResolver resolver, Consumer<String> addToClasspath) {
        this.resolver = resolver;
        this.addToClasspath = addToClasspath;
    }

    public void registerInto(MagicRegistry registry) {
        registry.line("maven", (args, raw) -> maven(args));
    }

    private Object maven(List<String> args) throws Exception {
        List<String> coords = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--repo") && i + 1 < args.size()) {
                String url = args.get(++i);
                resolver.addRepository("repo" + url.hashCode(), url);
            } else if (a.startsWith("--repo=")) {
                String url = a.substring("--repo=".length());
                resolver.addRepository("repo" + url.hashCode(), url);
            } else {
                coords.add(a);
            }
        }
        if (coords.isEmpty()) throw new MagicRegistry.MagicException("Usage: %maven group:artifact:version [...]");
        for (String c : coords) {
            try {
                MavenResolver.parseCoordinates(c);
            } catch (IllegalArgumentException e) {
                throw new MagicRegistry.MagicException(e.getMessage());
            }
        }
        List<File> files;
        try {
            files = resolver.resolve(coords);
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            throw new MagicRegistry.MagicException("Could not resolve " + String.join(", ", coords) + ": "
                    + e.getMessage() + (root != e ? " (" + root.getMessage() + ")" : ""), e);
        }
        for (File f : files) addToClasspath.accept(f.getAbsolutePath());
        System.out.println("Added " + files.size() + " jar" + (files.size() == 1 ? "" : "s") + " to the class path: "
                + files.stream().map(File::getName).reduce((a, b) -> a + ", " + b).orElse(""));
        return null;
    }
}
