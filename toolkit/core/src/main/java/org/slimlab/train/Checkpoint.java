package org.slimlab.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.nn.Model;
import org.slimlab.nn.Param;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A training checkpoint: every parameter and buffer, every optimizer's state, the epoch reached, the history and
 * the config hash, in one zip written atomically ({@code epoch-<n>.zip} in the run's checkpoint directory).
 */
public final class Checkpoint {

    /** What a checkpoint restores besides tensors. */
    public record Meta(int epochsDone, long iteration, String configHash, List<Map<String, Object>> history) {}

    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .disable(com.fasterxml.jackson.core.json.JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private Checkpoint() {}

    /** Writes {@code dir/epoch-<epochsDone>.zip} and returns its path. */
    public static Path save(Path dir, Model model, List<ParamGroup> groups, Meta meta) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("epoch-" + meta.epochsDone() + ".zip"), tmp = dir.resolve(".epoch-" + meta.epochsDone() + ".tmp");
            try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(tmp))) {
                z.putNextEntry(new ZipEntry("meta.json"));
                z.write(JSON.writeValueAsBytes(meta));
                for (Param p : model.parameters()) write(z, "param/" + p.name(), p.value());
                for (ParamGroup g : groups)
                    for (Map.Entry<String, INDArray> e : g.optimizer().state().entrySet())
                        write(z, "opt/" + g.name() + "/" + e.getKey(), e.getValue());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new TrainingException("cannot write checkpoint in " + dir + ": " + e.getMessage());
        }
    }

    /** The newest {@code epoch-<n>.zip} in {@code dir}, or null. */
    public static Path latest(Path dir) {
        if (!Files.isDirectory(dir)) return null;
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("epoch-\\d+\\.zip"))
                    .max(java.util.Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""))))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Restores tensors and optimizer state into {@code model} and {@code groups}; returns the metadata. */
    @SuppressWarnings("unchecked")
    public static Meta load(Path file, Model model, List<ParamGroup> groups) {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        Meta meta = null;
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                if (e.getName().equals("meta.json")) meta = JSON.readValue(z.readAllBytes(), Meta.class);
                else tensors.put(e.getName(), Nd4j.read(new DataInputStream(nonClosing(z))));
            }
        } catch (IOException | RuntimeException e) {
            throw new TrainingException("checkpoint " + file + " is unreadable (" + e.getMessage() + "); delete it to start over");
        }
        if (meta == null) throw new TrainingException("checkpoint " + file + " has no meta.json; delete it to start over");
        for (Param p : model.parameters()) {
            INDArray a = tensors.get("param/" + p.name());
            if (a == null || !java.util.Arrays.equals(a.shape(), p.value().shape()))
                throw new TrainingException("checkpoint " + file + " does not match the model at " + p.name());
            p.value().assign(a);
        }
        for (ParamGroup g : groups) {
            String prefix = "opt/" + g.name() + "/";
            Map<String, INDArray> st = new LinkedHashMap<>();
            tensors.forEach((k, v) -> { if (k.startsWith(prefix)) st.put(k.substring(prefix.length()), v); });
            g.optimizer().load(st);
        }
        return meta;
    }

    private static void write(ZipOutputStream z, String name, INDArray a) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        DataOutputStream d = new DataOutputStream(nonClosing(z));
        Nd4j.write(a, d);
        d.flush();
    }

    private static OutputStream nonClosing(OutputStream o) {
        return new java.io.FilterOutputStream(o) {
            @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
            @Override public void close() throws IOException { flush(); }
        };
    }

    private static InputStream nonClosing(InputStream i) {
        return new java.io.FilterInputStream(i) { @Override public void close() { } };
    }
}
