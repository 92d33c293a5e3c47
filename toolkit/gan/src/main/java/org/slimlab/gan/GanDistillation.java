package org.slimlab.gan;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slimlab.distill.Crd;
import org.slimlab.distill.Dcd;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.GanModels;
import org.slimlab.nn.Model;
import org.slimlab.nn.Param;
import org.slimlab.nn.Tap;
import org.slimlab.train.Checkpoint;
import org.slimlab.train.Optimizer;
import org.slimlab.train.Optimizers;
import org.slimlab.train.TrainingException;
import org.slimlab.ui.LiveView;
import org.slimlab.ui.LiveViews;
import org.slimlab.ui.Progress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GAN generator distillation in one loop (METHODS.md section 6): per batch, the teacher generator G_T takes a pix2pix
 * step (LSGAN + L1) against the teacher discriminator D_T, D_T takes a step on real and G_T's pairs (online, with the
 * teacher only), then every student takes a step with its own optimizer against G_T's output of that batch and the
 * current D_T (frozen for students: no D update from any student loss). Students: the pixel-L1 baseline
 * ({@code l1}), {@code +DCD} (arXiv 2212.14169, {@link Dcd}) and {@code +CRD} (arXiv 2212.11091, {@link Crd}).
 * FID on the test pairs is measured after every epoch for every generator (best-on-test is model selection).
 * Built on core's graphs ({@link Graphs}, {@link Compiled#run}) and optimizers; the classification trainer does not
 * fit a loop with several generators and a discriminator.
 * <pre>{@code
 * var run = GanDistillation.on(pairs).teacherWidth(32).studentWidth(8).blocks(6).epochs(10).seed(1)
 *         .students("l1", "dcd", "crd").fid(fid).perceptual(pnet).fit();
 * run.history();   // FID per epoch and arm
 * }</pre>
 */
public final class GanDistillation {

    EdgePairs pairs;
    int teacherWidth = 32, studentWidth = 8, blocks = 6, discriminatorWidth = 16, epochs = 1, batch = 16, patch = 7;
    long seed = 1;
    double generatorLr = 1e-3, discriminatorLr = 5e-4, teacherL1 = 100;
    StudentLoss.Weights weights = StudentLoss.Weights.defaults();
    List<String> arms = List.of("l1", "dcd", "crd");
    Fid fid;
    Model perceptual;
    String name = "gan distillation";
    java.nio.file.Path checkpoints;
    java.util.function.IntConsumer onEpoch = e -> {};

    private GanDistillation() {}

    private GanDistillation copy() {
        GanDistillation c = new GanDistillation();
        c.pairs = pairs; c.teacherWidth = teacherWidth; c.studentWidth = studentWidth; c.blocks = blocks;
        c.discriminatorWidth = discriminatorWidth; c.epochs = epochs; c.batch = batch; c.patch = patch; c.seed = seed;
        c.generatorLr = generatorLr; c.discriminatorLr = discriminatorLr; c.teacherL1 = teacherL1; c.weights = weights;
        c.arms = arms; c.fid = fid; c.perceptual = perceptual; c.name = name;
        c.checkpoints = checkpoints; c.onEpoch = onEpoch;
        return c;
    }

    /** A loop on these pairs with the defaults of METHODS.md (teacher ngf 32, student ngf 8, 6 blocks). */
    public static GanDistillation on(EdgePairs pairs) { GanDistillation g = new GanDistillation(); g.pairs = pairs; return g; }

    public GanDistillation teacherWidth(int ngf) { GanDistillation c = copy(); c.teacherWidth = ngf; return c; }
    public GanDistillation studentWidth(int ngf) { GanDistillation c = copy(); c.studentWidth = ngf; return c; }
    public GanDistillation blocks(int n) { GanDistillation c = copy(); c.blocks = n; return c; }
    public GanDistillation discriminatorWidth(int ndf) { GanDistillation c = copy(); c.discriminatorWidth = ndf; return c; }
    public GanDistillation epochs(int n) { GanDistillation c = copy(); c.epochs = n; return c; }
    public GanDistillation batch(int n) { GanDistillation c = copy(); c.batch = n; return c; }
    public GanDistillation seed(long s) { GanDistillation c = copy(); c.seed = s; return c; }
    public GanDistillation lr(double generator, double discriminator) { GanDistillation c = copy(); c.generatorLr = generator; c.discriminatorLr = discriminator; return c; }
    public GanDistillation weights(StudentLoss.Weights w) { GanDistillation c = copy(); c.weights = w; return c; }
    /** CRD patch side (must divide the image side). */
    public GanDistillation patch(int p) { GanDistillation c = copy(); c.patch = p; return c; }
    /** Which students to train: any of {@code l1}, {@code dcd}, {@code crd}. */
    public GanDistillation students(String... names) {
        for (String n : names) if (!List.of("l1", "dcd", "crd").contains(n)) throw new IllegalArgumentException("unknown student '" + n + "' (l1, dcd, crd)");
        GanDistillation c = copy(); c.arms = List.of(names); return c;
    }
    public GanDistillation fid(Fid f) { GanDistillation c = copy(); c.fid = f; return c; }
    public GanDistillation perceptual(Model p) { GanDistillation c = copy(); c.perceptual = p; return c; }
    public GanDistillation name(String n) { GanDistillation c = copy(); c.name = n; return c; }
    /**
     * Checkpoint every network and optimizer into {@code dir} after each epoch, and continue from the newest
     * checkpoint there if one exists (written by the same config; another config is refused). Each epoch reseeds
     * the data order and ND4J's generator, so a resumed run gives the numbers of an uninterrupted one.
     */
    public GanDistillation checkpoints(java.nio.file.Path dir) { GanDistillation c = copy(); c.checkpoints = dir; return c; }
    /** Called with the number of epochs done after each epoch's FIDs (and checkpoint). */
    public GanDistillation onEpoch(java.util.function.IntConsumer hook) { GanDistillation c = copy(); c.onEpoch = hook; return c; }

    /** Trains teacher, discriminator and students; returns the models and the FID history. */
    public GanRun fit() {
        if (pairs == null || fid == null || perceptual == null)
            throw new IllegalStateException("need pairs, an FID network (.fid) and a perceptual network (.perceptual)");
        if (teacherWidth % studentWidth != 0) throw new IllegalArgumentException("student width must divide the teacher's");
        long began = System.nanoTime();
        int size = (int) pairs.trainEdges().size(2);
        Model gT = GanModels.resnetGenerator(1, 1, teacherWidth, blocks, size, seed * 100 + 1).named("teacher");
        Model dT = GanModels.patchDiscriminator(2, discriminatorWidth, size, seed * 100 + 2).named("discriminator");
        Optimizer optT = Optimizers.adam(generatorLr), optD = Optimizers.adam(discriminatorLr);
        List<Student> students = new ArrayList<>();
        for (int i = 0; i < arms.size(); i++) {
            String arm = arms.get(i);
            // every student starts from the same initial weights (same seed): only the loss differs
            Model gS = GanModels.resnetGenerator(1, 1, studentWidth, blocks, size, seed * 100 + 3).named("student-" + arm);
            Dcd dcd = arm.equals("dcd") ? Dcd.of(dT, gT, gS, seed * 100 + 4) : null;
            Crd crd = arm.equals("crd") ? Crd.of(patch) : null;
            students.add(new Student("student-" + arm, gS, new StudentLoss(dT, perceptual, dcd, crd, weights), Optimizers.adam(generatorLr)));
        }
        Compiled teacherGraph = Graphs.train(gT, GanLosses.teacher(dT, teacherL1)), dGraph = Graphs.train(dT, GanLosses.discriminator());
        List<String> tapNames = gT.modules(Tap.class).stream().map(t -> t.name(teacherGraph.graph())).toList();
        Map<Student, Compiled> studentGraphs = new IdentityHashMap<>();
        for (Student s : students) studentGraphs.put(s, Graphs.train(s.generator(), s.loss()));
        long patches = dT.trace().nodes().get(dT.trace().nodes().size() - 1).out().numel();

        Fid.Stats real = fid.stats(pairs.testImages());
        GanRun.History history = new GanRun.History();
        Map<String, Model> models = new LinkedHashMap<>();
        models.put("teacher", gT);
        for (Student s : students) models.put(s.arm(), s.generator());
        int n = pairs.trainSize(), perEpoch = (n + batch - 1) / batch;
        long total = (long) perEpoch * epochs, step = 0;
        Map<String, List<Param>> state = new LinkedHashMap<>();
        Map<String, Optimizer> optimizers = new LinkedHashMap<>();
        state.put("teacher", gT.parameters());
        state.put("discriminator", dT.parameters());
        optimizers.put("teacher", optT);
        optimizers.put("discriminator", optD);
        for (Student s : students) {
            state.put(s.arm(), s.generator().parameters());
            if (s.loss().dcd() != null) state.put(s.arm() + "/connectors", connectorParameters(s.loss().dcd()));
            optimizers.put(s.arm(), s.optimizer());
        }
        String configHash = org.slimlab.results.RunConfig.hash(config());
        int first = 0;
        double before = 0;
        java.nio.file.Path latest = checkpoints == null ? null : Checkpoint.latest(checkpoints);
        if (latest != null) {
            Checkpoint.Meta meta = Checkpoint.loadAll(latest, state, optimizers);
            if (!configHash.equals(meta.configHash()))
                throw new TrainingException("checkpoint " + latest + " was written by another configuration (" + meta.configHash()
                        + ", this run " + configHash + "); delete " + checkpoints + " to start over");
            first = meta.epochsDone();
            step = meta.iteration();
            before = history.restore(meta.history());
            System.out.println(name + ": resumed from " + latest + " after epoch " + first + " of " + epochs);
        }
        began -= (long) (before * 1e9);
        long stepsBefore = step;
        try (LiveView view = LiveViews.open(name)) {
            for (int epoch = first; epoch < epochs; epoch++) {
                Nd4j.getRandom().setSeed(seed * 1_000_003L + epoch);
                int[] order = org.slimlab.data.ImageSet.permutation(n, seed * 7919L + epoch);
                double lossT = 0, lossD = 0;
                double[] lossS = new double[students.size()];
                int k = 0;
                for (int at = 0; at < n; at += batch) {
                    if (Thread.currentThread().isInterrupted())
                        throw new org.slimlab.train.TrainingInterruptedException(name + " interrupted at epoch " + (epoch + 1) + " step " + (k + 1));
                    int[] idx = java.util.Arrays.copyOfRange(order, at, Math.min(n, at + batch));
                    INDArray x = rows(pairs.trainEdges(), idx), y = rows(pairs.trainImages(), idx);
                    int b = idx.length;
                    List<INDArray> release = new ArrayList<>();
                    // 1. teacher generator: LSGAN + L1 against D_T
                    Compiled.Result rt = teacherGraph.run(x, y.reshape(b, -1), gT.trainableParameters(), tapNames);
                    check(rt.loss(), "teacher", epoch, k);
                    apply(optT, rt.grads(), generatorLr);
                    keep(release, rt, teacherGraph);
                    INDArray fake = rt.logits();
                    // 2. teacher discriminator on real and teacher pairs (online, teacher only)
                    INDArray dIn = Nd4j.concat(0, Nd4j.concat(1, x, y), Nd4j.concat(1, x, fake));
                    INDArray dLab = Nd4j.concat(0, Nd4j.ones(x.dataType(), b, patches), Nd4j.zeros(x.dataType(), b, patches));
                    Compiled.Result rd = dGraph.run(dIn, dLab, dT.trainableParameters(), List.of());
                    check(rd.loss(), "discriminator", epoch, k);
                    apply(optD, rd.grads(), discriminatorLr);
                    keep(release, rd, dGraph);
                    release.add(dIn);
                    release.add(dLab);
                    // 3. students against the teacher's output of this batch and the (now frozen) D_T
                    Map<String, INDArray> feats = new HashMap<>();
                    for (int l = 0; l < tapNames.size(); l++) feats.put(Dcd.teacherInput(l), rt.outputs().get(tapNames.get(l)));
                    INDArray target = fake.reshape(b, -1);
                    for (int i = 0; i < students.size(); i++) {
                        Student s = students.get(i);
                        s.loss().feedNext(s.loss().dcd() != null ? feats : Map.of());
                        Compiled g = studentGraphs.get(s);
                        Compiled.Result rs = g.run(x, target, s.trainable(), List.of());
                        check(rs.loss(), s.arm(), epoch, k);
                        apply(s.optimizer(), rs.grads(), generatorLr);
                        keep(release, rs, g);
                        lossS[i] += rs.loss() * b;
                    }
                    lossT += rt.loss() * b;
                    lossD += rd.loss() * b;
                    close(release);
                    org.slimlab.train.NativeMemory.trim();
                    k++;
                    step++;
                    double perStep = (System.nanoTime() - began - (long) (before * 1e9)) / 1e9 / (step - stepsBefore);
                    view.update(new Progress(String.format("%s epoch %d/%d", name, epoch + 1, epochs), step, total,
                            metrics(lossT, lossD, lossS, students, Math.min(n, at + batch)), Duration.ofMillis((long) (perStep * (total - step) * 1000))));
                }
                int seen = n;
                Map<String, Double> fids = new LinkedHashMap<>();
                for (Map.Entry<String, Model> e : models.entrySet()) fids.put(e.getKey(), Fid.distance(real, fid.stats(generate(e.getValue(), pairs.testEdges()))));
                history.add(epoch + 1, lossT / seen, lossD / seen, fids, (System.nanoTime() - began) / 1e9);
                if (checkpoints != null) {
                    Checkpoint.saveAll(checkpoints, state, optimizers, new Checkpoint.Meta(epoch + 1, step, configHash, history.toMaps()));
                    java.nio.file.Path older = checkpoints.resolve("epoch-" + epoch + ".zip");
                    try { java.nio.file.Files.deleteIfExists(older); } catch (java.io.IOException ignored) { }
                }
                view.update(new Progress(String.format("%s epoch %d/%d", name, epoch + 1, epochs), step, total,
                        "test FID " + fids.entrySet().stream().map(e -> String.format("%s %.2f", e.getKey(), e.getValue())).reduce((a, c) -> a + ", " + c).orElse(""), null));
                onEpoch.accept(epoch + 1);
            }
        }
        // hand back copies without compiled graphs: the training graphs (five SameDiff instances with their
        // gradient functions) are then garbage once this run is dropped; several seeds in one JVM ran out of memory
        Map<String, Model> trained = new LinkedHashMap<>();
        models.forEach((arm, m) -> trained.put(arm, m.copy()));
        List<Student> kept = students.stream().map(s -> new Student(s.arm(), trained.get(s.arm()), s.loss(), s.optimizer())).toList();
        return new GanRun(trained, dT.copy(), kept, history, (System.nanoTime() - began) / 1e9, config());
    }

    /** Every parameter and buffer of DCD's connectors (the teacher's are frozen but their BN statistics move). */
    private static List<Param> connectorParameters(Dcd dcd) {
        List<Param> p = new ArrayList<>();
        for (Model m : dcd.teacherConnectors()) p.addAll(m.parameters());
        for (Model m : dcd.studentConnectors()) p.addAll(m.parameters());
        return p;
    }

    private static String metrics(double lossT, double lossD, double[] lossS, List<Student> students, int seen) {
        StringBuilder s = new StringBuilder(String.format("G_T %.3f D_T %.3f", lossT / seen, lossD / seen));
        for (int i = 0; i < students.size(); i++) s.append(String.format(" %s %.3f", students.get(i).arm().replace("student-", ""), lossS[i] / seen));
        return s.toString();
    }

    /** Generator outputs for inputs {@code [N, 1, H, W]}, in chunks of 250 (eval graph; IN has no running stats). */
    public static INDArray generate(Model generator, INDArray inputs) {
        Compiled g = Graphs.eval(generator);
        long n = inputs.size(0);
        INDArray out = Nd4j.create(inputs.dataType(), inputs.shape());
        for (long i = 0; i < n; i += 250) {
            long e = Math.min(n, i + 250);
            out.get(NDArrayIndex.interval(i, e)).assign(g.logits(inputs.get(NDArrayIndex.interval(i, e))));
        }
        return out;
    }

    static INDArray rows(INDArray a, int[] idx) {
        long[] s = a.shape();
        return Nd4j.pullRows(a.reshape(s[0], s[1] * s[2] * s[3]), 1, idx).reshape(idx.length, s[1], s[2], s[3]);
    }

    private static void apply(Optimizer o, Map<Param, INDArray> grads, double lr) {
        for (Map.Entry<Param, INDArray> e : grads.entrySet()) o.step(e.getKey(), e.getValue(), lr);
    }

    private static void keep(List<INDArray> release, Compiled.Result r, Compiled g) {
        release.addAll(r.grads().values());
        release.addAll(r.outputs().values());
        release.addAll(g.stepIntermediates());
    }

    /** Frees a step's native arrays (as core's StepContext does; off-heap memory otherwise waits for the GC). */
    private static void close(Collection<INDArray> arrays) {
        Set<INDArray> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (INDArray a : arrays) if (a != null && seen.add(a) && a.closeable() && !a.wasClosed()) a.close();
    }

    private void check(double loss, String who, int epoch, int k) {
        if (!Double.isFinite(loss))
            throw new org.slimlab.train.TrainingException(String.format("%s: %s loss became %s at epoch %d, step %d; lower the learning rate",
                    name, who, loss, epoch + 1, k + 1));
    }

    Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("train_pairs", pairs.trainSize());
        c.put("test_pairs", pairs.testSize());
        c.put("edge_threshold", pairs.threshold());
        c.put("teacher_ngf", teacherWidth);
        c.put("student_ngf", studentWidth);
        c.put("blocks", blocks);
        c.put("discriminator_ndf", discriminatorWidth);
        c.put("epochs", epochs);
        c.put("batch", batch);
        c.put("seed", seed);
        c.put("optimizers", "adam(G lr=" + generatorLr + ", D lr=" + discriminatorLr + "), one per network");
        c.put("teacher_loss", "LSGAN + " + teacherL1 + " L1");
        c.put("student_weights", weights.toString());
        c.put("crd_patch", patch);
        c.put("students", arms);
        return c;
    }
}
