package org.slimlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.Batch;
import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import org.slimlab.data.ImageSet;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.train.Run;
import org.slimlab.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code slimlab bench}: times one training epoch (SGD momentum 0.9, lr 0.05, no augmentation, batch 128) and
 * inference throughput (eval mode, batch 500) of the small CNN and ResNet-20 on Fashion-MNIST through SameDiff
 * with oneDNN, each followed by the identical model in PyTorch CPU (/usr/bin/python3, 2 threads) on the same data, and
 * prints SlimLab/PyTorch time ratios (docs/benchmarks.md).
 * <p>Excluded from every timing, on both sides: JVM/Python start-up, data loading, model construction, SameDiff
 * graph building and gradient-graph creation, and {@code --warmup} training batches (plus one inference batch) run
 * before the clock starts. Included: every training step of the epoch (batch gathering, forward, backward,
 * optimizer update, BN running statistics, freeing native memory, progress display) and every inference batch.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time a training epoch and inference of small-cnn and resnet20, SlimLab vs PyTorch CPU.")
final class BenchCommand implements Callable<Integer> {

    static final String TORCH_SCRIPT = "/bench/torch_bench.py";
    static final double LR = 0.05, MOMENTUM = 0.9;

    @Option(names = "--models", split = ",", description = "models to time (default: ${DEFAULT-VALUE})")
    List<String> models = new ArrayList<>(List.of("small-cnn", "resnet20"));

    @Option(names = "--images", description = "training images in the timed epoch (default: ${DEFAULT-VALUE})")
    int images = 60000;

    @Option(names = "--batch", description = "training batch size (default: ${DEFAULT-VALUE})")
    int batch = 128;

    @Option(names = "--infer-images", description = "test images for inference throughput (default: ${DEFAULT-VALUE})")
    int inferImages = 10000;

    @Option(names = "--infer-batch", description = "inference batch size (default: ${DEFAULT-VALUE})")
    int inferBatch = 500;

    @Option(names = "--warmup", description = "untimed training batches before the timed epoch (default: ${DEFAULT-VALUE})")
    int warmup = 5;

    @Option(names = "--no-torch", description = "skip the PyTorch run")
    boolean noTorch;

    @Option(names = "--python", description = "Python with torch (default: ${DEFAULT-VALUE})")
    String python = "/usr/bin/python3";

    @Option(names = "--torch-threads", description = "torch.set_num_threads (default: ${DEFAULT-VALUE})")
    int torchThreads = 2;

    @Option(names = "--out", description = "CSV file, or a directory to write bench.csv into (default: ${DEFAULT-VALUE})")
    Path out = Path.of("results", "bench");

    Path dataDir;
    byte[] torchScript;

    /** One timed phase of one model on one framework. */
    record Measure(String model, String phase, long images, double seconds) {
        double imagesPerSecond() { return images / seconds; }
        /** Seconds scaled to {@code perImages} images (e.g. a 60k epoch from a subset). */
        double secondsFor(long perImages) { return seconds * perImages / images; }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        String load0 = loadAverage();
        // read what comes from the jar now: a rebuild during the (long) run may replace the jar under this JVM
        dataDir = FashionMnist.directory();
        if (!noTorch) torchScript = torchScript();
        ImageData all = FashionMnist.load();
        ImageData data = new ImageData(all.name(), all.train().head(images), all.test().head(Math.min(500, inferImages)), null);
        ImageData warm = new ImageData(all.name(), all.train().head(Math.max(1, warmup) * batch), data.test(), null);
        ImageSet inferSet = all.test().head(inferImages);
        List<Measure> slim = new ArrayList<>(), torch = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        String torchVersion = "-";
        for (String name : models) {
            Model model = Models.byName(name, null, 10);
            Objective objective = Losses.crossEntropy();   // one instance: the warm-up builds the graph the timed run reuses
            System.err.printf("[bench] slimlab %s: warm-up (%d batches, graph building)...%n", name, warmup);
            if (warmup > 0) trainer(model, objective, warm, name + " warm-up").fit();
            Run run = trainer(model, objective, data, name).fit();
            double trainS = run.history().doubleColumn("seconds").get(0);
            slim.add(new Measure(name, "train", data.train().size(), trainS));
            slim.add(new Measure(name, "inference", inferSet.size(), timeInference(model, inferSet, inferBatch)));
            System.err.printf(Locale.ROOT, "[bench] slimlab %s: train %.2f s (%d images, test acc on %d: %.3f), inference %.2f s (%d images)%n",
                    name, trainS, data.train().size(), data.test().size(), run.testAccuracy(),
                    slim.get(slim.size() - 1).seconds(), inferSet.size());
            if (!noTorch) {   // right after this model's SlimLab run, so both see the same machine load
                JsonNode j = runTorch(name);
                torchVersion = j.path("torch").asText() + " (" + j.path("threads").asInt() + " threads)";
                torch.addAll(parseTorch(j));
            }
            loads.add(name + ": " + loadAverage());
        }
        Table t = ratioTable(slim, torch, 60000);
        System.out.println(t.printAll());
        System.out.println("PyTorch " + torchVersion + "; load average (1/5/15 min) before: " + load0 + ", after each model: "
                + String.join(", ", loads) + " (2 cores: a load above ~2.2 means other work competed for the CPU)");
        System.out.println("ratio = SlimLab seconds / PyTorch seconds for the same images (>1: SlimLab slower); "
                + "s_per_60k = seconds scaled to a 60,000-image epoch" + (images == 60000 ? "" : " (extrapolated from " + images + " images)"));
        Path csv = csvPath(out);
        if (csv.getParent() != null) Files.createDirectories(csv.getParent());
        t.write().csv(csv.toFile());
        System.out.println("wrote " + csv);
        return 0;
    }

    void validate() {
        if (images < 1 || batch < 1 || inferImages < 1 || inferBatch < 1 || warmup < 0)
            throw new IllegalArgumentException("--images, --batch, --infer-images, --infer-batch must be >= 1, --warmup >= 0");
        for (String m : models)
            if (!m.equals("small-cnn") && !m.equals("resnet20"))
                throw new IllegalArgumentException("bench knows small-cnn and resnet20 (the PyTorch twin has only these), not '" + m + "'");
    }

    private Trainer trainer(Model model, Objective objective, ImageData d, String name) {
        return Trainer.of(model).on(d).name(name).epochs(1).batch(batch).seed(1)
                .sgd(LR, MOMENTUM, false, 0).constantLr().objective(objective, "cross-entropy");
    }

    /** Seconds for eval-mode logits of every image in {@code set}, after one untimed batch. */
    static double timeInference(Model model, ImageSet set, int batchSize) {
        Compiled g = Graphs.eval(model);
        for (Batch b : set.sequential(batchSize)) { close(g.logits(b.x())); break; }
        long t0 = System.nanoTime();
        for (Batch b : set.sequential(batchSize)) close(g.logits(b.x()));
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void close(INDArray a) { if (a != null && a.closeable()) a.close(); }

    private JsonNode runTorch(String model) throws IOException, InterruptedException {
        Path script = Files.createTempFile("slimlab-torch-bench", ".py");
        Files.write(script, torchScript != null ? torchScript : torchScript());
        try {
            List<String> cmd = torchCommand(script, model);
            System.err.println("[bench] " + String.join(" ", cmd));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0)
                throw new IllegalStateException("the PyTorch benchmark failed (exit " + p.exitValue() + "); is python3-torch installed for "
                        + python + "?\n" + stdout);
            String[] lines = stdout.strip().split("\n");
            return new ObjectMapper().readTree(lines[lines.length - 1]);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** The PyTorch twin script, from the jar's resources. */
    static byte[] torchScript() throws IOException {
        try (InputStream in = BenchCommand.class.getResourceAsStream(TORCH_SCRIPT)) {
            if (in == null) throw new IllegalStateException("resource " + TORCH_SCRIPT + " missing from the jar");
            return in.readAllBytes();
        }
    }

    List<String> torchCommand(Path script, String model) {
        return List.of(python, script.toString(), "--data", (dataDir != null ? dataDir : FashionMnist.directory()).toString(),
                "--models", model, "--images", Integer.toString(images), "--batch", Integer.toString(batch),
                "--infer-images", Integer.toString(inferImages), "--infer-batch", Integer.toString(inferBatch),
                "--warmup", Integer.toString(warmup), "--threads", Integer.toString(torchThreads), "--lr", Double.toString(LR));
    }

    /** The measures in the PyTorch script's JSON. */
    static List<Measure> parseTorch(JsonNode j) {
        List<Measure> m = new ArrayList<>();
        for (JsonNode r : j.path("results")) {
            String model = r.path("model").asText();
            m.add(new Measure(model, "train", r.path("train_images").asLong(), r.path("train_seconds").asDouble()));
            m.add(new Measure(model, "inference", r.path("infer_images").asLong(), r.path("infer_seconds").asDouble()));
        }
        return m;
    }

    /**
     * One row per model and phase: SlimLab and PyTorch seconds, images/s, seconds per {@code epochImages} images
     * and the ratio SlimLab/PyTorch of the time per image (NaN where PyTorch was not run).
     */
    static Table ratioTable(List<Measure> slim, List<Measure> torch, long epochImages) {
        Map<String, Measure> byKey = new LinkedHashMap<>();
        for (Measure m : torch) byKey.put(m.model() + "/" + m.phase(), m);
        StringColumn model = StringColumn.create("model"), phase = StringColumn.create("phase");
        IntColumn imgs = IntColumn.create("images");
        DoubleColumn ss = DoubleColumn.create("slimlab_s"), sips = DoubleColumn.create("slimlab_img_per_s"),
                s60 = DoubleColumn.create("slimlab_s_per_60k"), ts = DoubleColumn.create("torch_s"),
                tips = DoubleColumn.create("torch_img_per_s"), t60 = DoubleColumn.create("torch_s_per_60k"),
                ratio = DoubleColumn.create("ratio");
        for (Measure m : slim) {
            Measure t = byKey.get(m.model() + "/" + m.phase());
            model.append(m.model());
            phase.append(m.phase());
            imgs.append((int) m.images());
            ss.append(round(m.seconds(), 2));
            sips.append(round(m.imagesPerSecond(), 0));
            s60.append(round(m.secondsFor(epochImages), 2));
            ts.append(t == null ? Double.NaN : round(t.seconds(), 2));
            tips.append(t == null ? Double.NaN : round(t.imagesPerSecond(), 0));
            t60.append(t == null ? Double.NaN : round(t.secondsFor(epochImages), 2));
            ratio.append(t == null ? Double.NaN : round(t.imagesPerSecond() / m.imagesPerSecond(), 2));
        }
        return Table.create("SlimLab vs PyTorch CPU", model, phase, imgs, ss, sips, s60, ts, tips, t60, ratio);
    }

    /** {@code --out}: a path ending in .csv is the file, anything else a directory for bench.csv. */
    static Path csvPath(Path out) {
        return out.getFileName() != null && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")
                ? out : out.resolve("bench.csv");
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+"), 3));
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
