package org.slimlab.kernel.magics;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code %classpath path...} adds directories or jars (globs allowed) to the class path of later code;
 * {@code %jars path...} adds jar files (a directory adds the jars in it; globs allowed). Without arguments both
 * print what was added so far.
 */
public final class ClasspathMagics {

    private final Consumer<String> addToClasspath;
    private final Supplier<List<String>> added;

    public ClasspathMagics(Consumer<String> addToClasspath, Supplier<List<String>> added) {
        this.addToClasspath = addToClasspath;
        this.added = added;
    }

    public void registerInto(MagicRegistry registry) {
        registry.line("classpath", (args, raw) -> add(args, false));
        registry.line("jars", (args, raw) -> add(args, true));
    }

    private Object add(List<String> args, boolean jarsOnly) throws Exception {
        PrintStream out = System.out;
        if (args.isEmpty()) {
            List<String> now = added.get();
            out.println(now.isEmpty() ? "Nothing added to the class path yet (the SlimLab toolkit is always there)."
                    : "Added to the class path:\n  " + String.join("\n  ", now));
            return null;
        }
        List<Path> paths = new ArrayList<>();
        for (String arg : args) {
            List<Path> matches = expand(arg);
            if (matches.isEmpty()) throw new MagicRegistry.MagicException("No such file: " + arg);
            for (Path p : matches) {
                if (jarsOnly && Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.list(p)) {
                        paths.addAll(s.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList()));
                    }
                } else {
                    paths.add(p);
                }
            }
        }
        for (Path p : paths) addToClasspath.accept(p.toAbsolutePath().normalize().toString());
        out.println("Added " + paths.size() + (paths.size() == 1 ? " entry" : " entries") + " to the class path.");
        return null;
    }

    /** Expands a path that may contain a glob ({@code *}, {@code ?}, {@code **}, {@code [..]}, {@code {a,b}}). */
    static List<Path> expand(String pattern) throws IOException {
        String home = System.getProperty("user.home");
        if (pattern.startsWith("~/")) pattern = home + pattern.substring(1);
        int firstGlob = indexOfGlob(pattern);
        if (firstGlob < 0) {
            Path p = Path.of(pattern);
            return Files.exists(p) ? List.of(p) : List.of();
        }
        int cut = pattern.lastIndexOf('/', firstGlob);
        Path base = cut < 0 ? Path.of(".") : Path.of(cut == 0 ? "/" : pattern.substring(0, cut));
        String rest = cut < 0 ? pattern : pattern.substring(cut + 1);
        if (!Files.isDirectory(base)) return List.of();
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        int depth = rest.contains("**") ? Integer.MAX_VALUE : (int) rest.chars().filter(c -> c == '/').count() + 1;
        try (Stream<Path> s = Files.walk(base, depth)) {
            return s.filter(p -> !p.equals(base) && matcher.matches(base.relativize(p)))
                    .sorted().collect(Collectors.toList());
        }
    }

    private static int indexOfGlob(String s) {
        for (int i = 0; i < s.length(); i++) {
            if ("*?[{".indexOf(s.charAt(i)) >= 0) return i;
        }
        return -1;
    }
}
