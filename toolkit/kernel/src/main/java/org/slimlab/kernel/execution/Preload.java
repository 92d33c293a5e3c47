package org.slimlab.kernel.execution;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What every notebook starts with: the usual JDK imports, the display and magic statics, the table, chart and
 * array libraries, every package of the SlimLab toolkit found on the class path, and
 * {@code import static org.slimlab.SlimLab.*;} when that class exists.
 */
public final class Preload {

    static final List<String> BASE = List.of(
            "import java.util.*;", "import java.util.function.*;", "import java.util.stream.*;",
            "import java.util.concurrent.*;", "import java.io.*;", "import java.nio.file.*;", "import java.time.*;",
            "import java.math.*;",
            "import static org.slimlab.kernel.runtime.Display.*;",
            "import static org.slimlab.kernel.runtime.Magics.*;");

    static final List<String> LIBRARIES = List.of(
            "import tech.tablesaw.api.*;", "import org.knowm.xchart.*;",
            "import org.nd4j.linalg.api.ndarray.INDArray;", "import org.nd4j.linalg.factory.Nd4j;");

    /** JDK packages whose classes are visible by simple name in cells (java.lang plus the BASE imports). */
    static final List<String> JDK_PACKAGES = List.of("java.lang", "java.util", "java.util.function", "java.util.stream",
            "java.util.concurrent", "java.io", "java.nio.file", "java.time", "java.math");

    private Preload() {}

    /** The start-up imports for a JVM whose class path is {@code classpath}. */
    public static List<String> snippets(String classpath) {
        List<String> out = new ArrayList<>(BASE);
        for (String lib : LIBRARIES) {
            String cls = lib.replace("import ", "").replace(";", "").replace(".*", "");
            if (lib.endsWith(".*;") ? packageExists(cls) : classExists(cls)) out.add(lib);
        }
        Map<String, TreeSet<String>> classes = slimlabClasses(classpath);
        for (String pkg : classes.keySet()) out.add("import " + pkg + ".*;");
        // a SlimLab class named like a JDK class imported on demand (nn.Module vs java.lang.Module) would make the
        // name ambiguous: a single-type import makes the SlimLab one win in notebooks
        for (Map.Entry<String, TreeSet<String>> e : classes.entrySet()) {
            for (String simple : e.getValue()) {
                if (JDK_PACKAGES.stream().anyMatch(p -> classExists(p + "." + simple))) {
                    out.add("import " + e.getKey() + "." + simple + ";");
                }
            }
        }
        if (classExists("org.slimlab.SlimLab")) out.add("import static org.slimlab.SlimLab.*;");
        return out;
    }

    static boolean classExists(String name) {
        try {
            Class.forName(name, false, Preload.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean packageExists(String pkg) {
        return Preload.class.getClassLoader().getResource(pkg.replace('.', '/')) != null;
    }

    /**
     * Packages {@code org.slimlab.X} (one level below {@code org.slimlab}, and {@code org.slimlab} itself) that hold
     * classes in the class path entries, except the kernel's and the command line's own.
     */
    public static List<String> slimlabPackages(String classpath) {
        return new ArrayList<>(slimlabClasses(classpath).keySet());
    }

    /** Those packages with the simple names of their top-level classes. */
    static Map<String, TreeSet<String>> slimlabClasses(String classpath) {
        TreeMap<String, TreeSet<String>> pkgs = new TreeMap<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            Path p = Path.of(entry);
            try {
                if (Files.isDirectory(p)) scanDirectory(p, pkgs);
                else if (entry.endsWith(".jar") && p.getFileName().toString().startsWith("slimlab") && Files.isRegularFile(p)) scanJar(p, pkgs);
            } catch (IOException | RuntimeException ignored) {
                // unreadable entry: nothing to import from it
            }
        }
        pkgs.remove("org.slimlab.kernel");
        pkgs.remove("org.slimlab.cli");
        return pkgs;
    }

    private static void scanJar(Path jar, TreeMap<String, TreeSet<String>> pkgs) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = f.entries();
            while (entries.hasMoreElements()) add(entries.nextElement().getName(), pkgs);
        }
    }

    private static void scanDirectory(Path dir, TreeMap<String, TreeSet<String>> pkgs) throws IOException {
        Path root = dir.resolve("org/slimlab");
        if (!Files.isDirectory(root)) return;
        try (Stream<Path> s = Files.walk(root, 2)) {
            s.forEach(p -> add(dir.relativize(p).toString().replace(File.separatorChar, '/'), pkgs));
        }
    }

    private static void add(String name, TreeMap<String, TreeSet<String>> pkgs) {
        if (!name.startsWith("org/slimlab/") || !name.endsWith(".class") || name.contains("$")) return;
        String[] parts = name.split("/");
        if (parts.length != 3 && parts.length != 4) return;
        String pkg = parts.length == 3 ? "org.slimlab" : "org.slimlab." + parts[2];
        String simple = parts[parts.length - 1].replace(".class", "");
        if (simple.equals("package-info")) return;
        pkgs.computeIfAbsent(pkg, k -> new TreeSet<>()).add(simple);
    }
}
