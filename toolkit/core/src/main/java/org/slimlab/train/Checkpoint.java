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
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Param p : model.parameters()) tensors.put("param/" + p.name(), p.value());
        for (ParamGroup g : groups) putState(tensors, g.name(), g.optimizer());
        return write(dir, tensors, meta);
    }

    /**
     * As {@link #save(Path, Model, List, Meta)} for a loop with several models and optimizers (a GAN's generators and
     * discriminator): each parameter list and optimizer under its name; {@link #loadAll} restores them by the same names.
     */
    public static Path saveAll(Path dir, Map<String, List<Param>> params, Map<String, Optimizer> optimizers, Meta meta) {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        params.forEach((group, ps) -> { for (Param p : ps) tensors.put("param/" + group + "/" + p.name(), p.value()); });
        optimizers.forEach((name, o) -> putState(tensors, name, o));
        return write(dir, tensors, meta);
    }

    private static void putState(Map<String, INDArray> tensors, String name, Optimizer o) {
        for (Map.Entry<String, INDArray> e : o.state().entrySet()) tensors.put("opt/" + name + "/" + e.getKey(), e.getValue());
    }

    private static Path write(Path dir, Map<String, INDArray> tensors, Meta meta) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("epoch-" + meta.epochsDone() + ".zip"), tmp = dir.resolve(".epoch-" + meta.epochsDone() + ".tmp");
            try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(tmp))) {
                z.putNextEntry(new ZipEntry("meta.json"));
                z.write(JSON.writeValueAsBytes(meta));
                for (Map.Entry<String, INDArray> e : tensors.entrySet()) write(z, e.getKey(), e.getValue());
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
    public static Meta load(Path file, Model model, List<ParamGroup> groups) {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        Meta meta = read(file, tensors);
        for (Param p : model.parameters()) assign(file, tensors, "param/" + p.name(), p);
        for (ParamGroup g : groups) g.optimizer().load(state(tensors, g.name()));
        return meta;
    }

    /** Restores what {@link #saveAll} wrote into the same named parameter lists and optimizers; returns the metadata. */
    public static Meta loadAll(Path file, Map<String, List<Param>> params, Map<String, Optimizer> optimizers) {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        Meta meta = read(file, tensors);
        params.forEach((group, ps) -> { for (Param p : ps) assign(file, tensors, "param/" + group + "/" + p.name(), p); });
        optimizers.forEach((name, o) -> o.load(state(tensors, name)));
        return meta;
    }

    private static Meta read(Path file, Map<String, INDArray> tensors) {
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
        return meta;
    }

    private static void assign(Path file, Map<String, INDArray> tensors, String key, Param p) {
        INDArray a = tensors.get(key);
        if (a == null || !java.util.Arrays.equals(a.shape(), p.value().shape()))
            throw new TrainingException("checkpoint " + file + " does not match the model at " + p.name());
        p.value().assign(a);
    }

    private static Map<String, INDArray> state(Map<String, INDArray> tensors, String name) {
        String prefix = "opt/" + name + "/";
        Map<String, INDArray> st = new LinkedHashMap<>();
        tensors.forEach((k, v) -> { if (k.startsWith(prefix)) st.put(k.substring(prefix.length()), v); });
        return st;
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
