package org.slimlab.train;

import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.data.Batch;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.Param;
import org.slimlab.ui.LiveView;
import org.slimlab.ui.LiveViews;
import org.slimlab.ui.Progress;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Executes a {@link Trainer}'s configuration: the epoch/step loop, evaluation, checkpoints, progress. */
final class Training {


    private final Trainer t;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Param, ParamGroup> owner = new IdentityHashMap<>();

    Training(Trainer t) {
        this.t = t;
        groups.addAll(t.groups);
        groups.add(new ParamGroup("default", p -> true, t.optimizer, t.schedule));
        for (Param p : t.model.trainableParameters())
            for (ParamGroup g : groups)
                if (g.selects().test(p)) { owner.put(p, g); break; }
    }

    Run run() {
        Map<String, Object> config = config();
        String hash = hash(config);
        StepContext ctx = new StepContext(t.model, groups, owner);
        int perEpoch = t.data.train().batchCount(t.batchSize);
        ctx.totalIterations = (long) perEpoch * t.epochs;
        List<Map<String, Object>> history = new ArrayList<>();
        int start = 0;
        Path ckptDir = t.checkpoints == null ? null : t.checkpoints.resolve(hash);
        if (ckptDir != null) writeConfig(ckptDir, config);
        String lastCheckpoint = "none (checkpoints are off: use .checkpoints(dir))";
        if (ckptDir != null && t.resume) {
            Path latest = Checkpoint.latest(ckptDir);
            if (latest != null) {
                Checkpoint.Meta meta = Checkpoint.load(latest, t.model, groups);
                start = meta.epochsDone();
                ctx.iteration = meta.iteration();
                history.addAll(meta.history());
                lastCheckpoint = latest.toString();
            }
        }
        TrainStep step = t.step != null ? t.step : standard();
        long began = System.nanoTime();
        double testAcc = history.isEmpty() ? Double.NaN : ((Number) history.get(history.size() - 1).get("test_acc")).doubleValue();
        try (LiveView view = LiveViews.open(t.name)) {
            for (int epoch = start; epoch < t.epochs; epoch++) {
                ctx.epoch = epoch;
                Nd4j.getRandom().setSeed(t.seed * 1_000_003L + epoch);   // dropout masks and other in-graph draws
                long epochStart = System.nanoTime(), seen = 0, correct = 0;
                double lossSum = 0;
                int k = 0;
                for (Batch b : t.data.train().batches(t.batchSize, t.seed * 7919L + epoch, t.data.augmentation())) {
                    if (Thread.currentThread().isInterrupted())
                        throw new TrainingInterruptedException("training of " + t.name + " interrupted at epoch " + (epoch + 1)
                                + " step " + (k + 1) + "; last checkpoint: " + lastCheckpoint);
                    ctx.lastCheckpoint = lastCheckpoint;
                    TrainStep.StepResult r = step.step(ctx, b);
                    checkFinite(r.loss(), ctx);
                    lossSum += r.loss() * b.size();
                    seen += b.size();
                    if (r.logits() != null) correct += Evaluation.correct(r.logits(), b.labels());
                    ctx.releasePending();
                    NativeMemory.trim();
                    ctx.iteration++;
                    k++;
                    view.update(progress(epoch, ctx, start * (long) perEpoch, began, String.format("loss %.4f acc %.3f%s | %.0f img/s",
                            lossSum / seen, correct / (double) seen, Double.isNaN(testAcc) ? "" : String.format(" test %.3f", testAcc),
                            seen / ((System.nanoTime() - epochStart) / 1e9))));
                }
                boolean last = epoch == t.epochs - 1;
                if (t.evalEvery > 0 && (last || (epoch + 1) % t.evalEvery == 0)) {
                    testAcc = Evaluation.accuracy(t.model, t.data.test());
                    view.update(progress(epoch, ctx, start * (long) perEpoch, began,
                            String.format("loss %.4f acc %.3f test %.3f", lossSum / seen, correct / (double) seen, testAcc)));
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", epoch + 1);
                row.put("train_loss", lossSum / seen);
                row.put("train_acc", correct / (double) seen);
                row.put("test_acc", testAcc);
                row.put("lr", ctx.lr(groups.get(groups.size() - 1)));
                row.put("seconds", (System.nanoTime() - epochStart) / 1e9);
                history.add(row);
                if (ckptDir != null)
                    lastCheckpoint = Checkpoint.save(ckptDir, t.model, groups,
                            new Checkpoint.Meta(epoch + 1, ctx.iteration, hash, history)).toString();
                for (var hook : t.epochHooks)
                    hook.accept(new Trainer.EpochEnd(epoch + 1, lossSum / seen, correct / (double) seen, testAcc, ctx));
            }
        }
        if (t.evalEvery > 0 && Double.isNaN(testAcc)) testAcc = Evaluation.accuracy(t.model, t.data.test());
        return new Run(t.model, table(history), config, hash, testAcc, (System.nanoTime() - began) / 1e9);
    }

    /** The live line: where training is, {@code metrics}, and the ETA from the mean step time of this session. */
    private Progress progress(int epoch, StepContext ctx, long resumedAt, long began, String metrics) {
        double perStep = (System.nanoTime() - began) / 1e9 / Math.max(1, ctx.iteration - resumedAt);
        return new Progress(String.format("%s epoch %d/%d", t.name, epoch + 1, t.epochs), ctx.iteration, ctx.totalIterations,
                metrics, Duration.ofMillis((long) (perStep * (ctx.totalIterations - ctx.iteration) * 1000)));
    }

    private TrainStep standard() {
        Compiled g = Graphs.train(t.model, t.objective);
        return (ctx, b) -> ctx.standardStep(g, b);
    }

    static void checkFinite(double loss, StepContext ctx) {
        if (!Double.isFinite(loss))
            throw new TrainingException(String.format("loss became %s at epoch %d, iteration %d (step %d of the epoch); "
                    + "last good checkpoint: %s. Lower the learning rate or check the data.", loss, ctx.epoch + 1,
                    ctx.iteration, ctx.iteration % Math.max(1, ctx.totalIterations) + 1, ctx.lastCheckpoint));
    }

    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", t.name);
        c.put("model", t.model.name());
        c.put("model_macs", t.model.macs());
        c.put("model_params", t.model.params());
        c.put("data", t.data.name());
        c.put("train_images", t.data.train().size());
        c.put("test_images", t.data.test().size());
        c.put("augmented", t.data.augmentation() != null);
        c.put("epochs", t.epochs);
        c.put("batch", t.batchSize);
        c.put("seed", t.seed);
        c.put("objective", t.objectiveName);
        c.put("step", t.stepName);
        List<String> opt = new ArrayList<>();
        for (ParamGroup g : groups)
            opt.add(g.name() + ": " + g.optimizer().describe() + (g.name().equals("default") ? " " + t.scheduleName : ""));
        c.put("optimizers", opt);
        return c;
    }

    static String hash(Map<String, Object> config) { return org.slimlab.results.RunConfig.hash(config); }

    private static void writeConfig(Path dir, Map<String, Object> config) {
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve("config.json"), json(config));
        } catch (java.io.IOException e) {
            throw new TrainingException("cannot write " + dir.resolve("config.json") + ": " + e.getMessage());
        }
    }

    /** The config as JSON (what a run records). */
    static String json(Map<String, Object> config) { return org.slimlab.results.RunConfig.json(config); }

    private static Table table(List<Map<String, Object>> history) {
        IntColumn epoch = IntColumn.create("epoch");
        DoubleColumn loss = DoubleColumn.create("train_loss"), tr = DoubleColumn.create("train_acc"),
                te = DoubleColumn.create("test_acc"), lr = DoubleColumn.create("lr"), s = DoubleColumn.create("seconds");
        for (Map<String, Object> r : history) {
            epoch.append(((Number) r.get("epoch")).intValue());
            loss.append(((Number) r.get("train_loss")).doubleValue());
            tr.append(((Number) r.get("train_acc")).doubleValue());
            te.append(((Number) r.get("test_acc")).doubleValue());
            lr.append(((Number) r.get("lr")).doubleValue());
            s.append(((Number) r.get("seconds")).doubleValue());
        }
        return Table.create("history", epoch, loss, tr, te, lr, s);
    }
}
