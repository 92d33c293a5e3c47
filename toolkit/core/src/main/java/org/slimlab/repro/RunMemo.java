package org.slimlab.repro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slimlab.results.RunConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Finished pieces of a reproduction (one arm at one seed) kept on disk as JSON, so that a long {@code full} run that is
 * stopped (a killed job, an ended session) resumes where it stopped instead of starting over.
 *
 * <p>Every piece is written as soon as it is computed; it is read back only when the memo was opened with
 * {@code reuse} and the stored key equals the asked one. The key names the method, scale, arm, seed and the budget,
 * so a changed budget recomputes; a changed implementation does not, which is why reuse is opt-in
 * ({@code ./slimlab reproduce --resume}). A file that cannot be read is reported and recomputed, never trusted.
 */
public final class RunMemo {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final boolean reuse;

    private RunMemo(Path dir, boolean reuse) {
        this.dir = dir;
        this.reuse = reuse;
    }

    /** A memo that keeps nothing: every piece is computed (notebooks, tests). */
    public static RunMemo none() { return new RunMemo(null, false); }

    /** Pieces are written to {@code dir}; with {@code reuse}, pieces already there are read instead of recomputed. */
    public static RunMemo at(Path dir, boolean reuse) { return new RunMemo(dir, reuse); }

    /**
     * The key of one piece: its parts (method, scale, arm, "seed" + n, budget) joined by spaces, e.g.
     * {@code "gkt full common seed3 Budget[...]"}. Every reproduction names its pieces this way.
     */
    public static String key(Object... parts) {
        return java.util.Arrays.stream(parts).map(String::valueOf).collect(java.util.stream.Collectors.joining(" "));
    }

    /** Where pieces go, or null for {@link #none()}. */
    public Path dir() { return dir; }

    /**
     * The piece named {@code key}: read from disk when reusing and present, otherwise computed and written.
     * {@code type} must be a Jackson-readable type (a record of numbers, strings, lists and records does).
     */
    public <T> T get(String key, Class<T> type, Supplier<T> compute) {
        if (dir == null) return compute.get();
        Path file = dir.resolve(fileName(key));
        if (reuse && Files.exists(file)) {
            try {
                JsonNode stored = JSON.readTree(file.toFile());
                if (stored != null && key.equals(stored.path("key").asText(null))) {
                    System.out.println("resumed from " + file + ": " + key);
                    return JSON.treeToValue(stored.get("value"), type);
                }
                System.err.println("memo " + file + " holds another key; recomputing " + key);
            } catch (IOException | RuntimeException e) {
                System.err.println("memo " + file + " is unreadable (" + e.getMessage() + "); recomputing " + key);
            }
        }
        T value = compute.get();
        write(file, key, value);
        deleteTree(dir.resolve(IN_PROGRESS).resolve(stem(key)));
        return value;
    }

    /**
     * A directory for the in-progress state of the piece {@code key} (its training checkpoints), so that a piece
     * too long to recompute (an hour's GAN seed) resumes inside itself; null for {@link #none()}. Without reuse
     * whatever an earlier run left there is deleted first (a fresh run starts fresh); once the piece is written by
     * {@link #get} the directory is deleted.
     */
    public Path scratch(String key) {
        if (dir == null) return null;
        Path d = dir.resolve(IN_PROGRESS).resolve(stem(key));
        if (!reuse) deleteTree(d);
        return d;
    }

    private static final String IN_PROGRESS = "in-progress";

    private static void deleteTree(Path d) {
        if (!Files.exists(d)) return;
        try (var walk = Files.walk(d)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + d, e);
        }
    }

    private static void write(Path file, String key, Object value) {
        try {
            Files.createDirectories(file.getParent());
            ObjectNode node = JSON.createObjectNode();
            node.put("key", key);
            node.set("value", JSON.valueToTree(value));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), node);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run memo " + file, e);
        }
    }

    /** A readable prefix of the key and a hash of all of it: {@code gkt-full-st-seed1-3f2a9c0d11e4.json}. */
    static String fileName(String key) { return stem(key) + ".json"; }

    private static String stem(String key) {
        String readable = key.replaceAll("[^A-Za-z0-9@%.-]+", "-").replaceAll("-+", "-");
        if (readable.length() > 60) readable = readable.substring(0, 60);
        return readable + "-" + RunConfig.hash(Map.of("key", key));
    }
}
