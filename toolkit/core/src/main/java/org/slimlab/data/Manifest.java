package org.slimlab.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A data set manifest from {@code datasets/<name>.json}: each file's size and sha256, gzipped and plain. Finding and
 * verifying a file either succeeds or throws one {@link DatasetException} naming the file and the fix.
 */
public final class Manifest {

    /** Expected size and hash of one encoding of a file. */
    public record Expected(long size, String sha256) {}

    /** One file of the data set. */
    public record Entry(String name, String role, Expected gz, Expected plain) {}

    private static final Map<String, Boolean> VERIFIED = new ConcurrentHashMap<>();

    private final String name, source, override;
    private final Path defaultDir;
    private final List<Entry> entries;

    private Manifest(String name, String source, String override, Path defaultDir, List<Entry> entries) {
        this.name = name;
        this.source = source;
        this.override = override;
        this.defaultDir = defaultDir;
        this.entries = entries;
    }

    /** Loads {@code datasets/<name>.json} from the classpath. */
    public static Manifest load(String name) {
        try (InputStream in = Manifest.class.getResourceAsStream("/datasets/" + name + ".json")) {
            if (in == null) throw new DatasetException("no manifest datasets/" + name + ".json on the classpath");
            JsonNode j = new ObjectMapper().readTree(in);
            List<Entry> e = new ArrayList<>();
            for (JsonNode f : j.get("files"))
                e.add(new Entry(f.get("name").asText(), f.get("role").asText(), expected(f.get("gz")), expected(f.get("plain"))));
            return new Manifest(j.get("name").asText(), j.get("source").asText(), j.get("override").asText(),
                    Path.of(j.get("defaultDir").asText()), e);
        } catch (IOException ex) {
            throw new DatasetException("cannot read manifest datasets/" + name + ".json: " + ex.getMessage(), ex);
        }
    }

    private static Expected expected(JsonNode n) {
        return n == null ? null : new Expected(n.get("size").asLong(), n.get("sha256").asText());
    }

    public String name() { return name; }

    public Path defaultDir() { return defaultDir; }

    public List<Entry> entries() { return entries; }

    /** The entry with this role (e.g. {@code train-images}). */
    public Entry entry(String role) {
        return entries.stream().filter(e -> e.role().equals(role)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("manifest " + name + " has no role " + role));
    }

    /** Finds {@code entry} in {@code dir} (gzipped or plain) and checks its size and sha256. */
    public Path locate(Path dir, Entry entry) {
        Path gz = dir.resolve(entry.name() + ".gz"), plain = dir.resolve(entry.name());
        Path file;
        Expected exp;
        if (Files.isRegularFile(gz)) { file = gz; exp = entry.gz(); }
        else if (Files.isRegularFile(plain)) { file = plain; exp = entry.plain(); }
        else throw new DatasetException(name + " file " + entry.name() + "(.gz) not found in " + dir + ". Fix: "
                    + source + (override == null ? "" : ", or set " + override) + ".");
        verify(file, exp);
        return file;
    }

    private void verify(Path file, Expected exp) {
        try {
            long size = Files.size(file);
            String key = file.toAbsolutePath() + ":" + size + ":" + Files.getLastModifiedTime(file).toMillis();
            if (VERIFIED.containsKey(key)) return;
            if (size != exp.size())
                throw new DatasetException(file + " has " + size + " bytes, expected " + exp.size()
                        + (size < exp.size() ? " (truncated)" : "") + ". Fix: " + source + ", or replace the file.");
            String sha = sha256(file);
            if (!sha.equals(exp.sha256()))
                throw new DatasetException(file + " is corrupt: sha256 " + sha + ", expected " + exp.sha256()
                        + ". Fix: " + source + ", or replace the file.");
            VERIFIED.put(key, true);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
