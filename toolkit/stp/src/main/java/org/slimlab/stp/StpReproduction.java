package org.slimlab.stp;

import org.knowm.xchart.XYChart;
import org.slimlab.data.Augmentation;
import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.prune.StructuredPruner;
import org.slimlab.repro.Claim;
import org.slimlab.repro.Reproduction;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.RunMemo;
import org.slimlab.repro.Scale;
import org.slimlab.results.ResultRow;
import org.slimlab.results.Results;
import org.slimlab.results.RunInfo;
import org.slimlab.train.Evaluation;
import org.slimlab.train.Recalibration;
import org.slimlab.train.Run;
import org.slimlab.train.Trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * METHODS.md section 2: STP (arXiv 2403.06417, ECCV 2024) on Fashion-MNIST with a CIFAR-style ResNet (3 stages x 3
 * basic blocks, 8/16/32 channels) at 50% and 15% remaining MACs, all arms at equal total epochs E:
 * A = common training (E epochs) -> L1 filter pruning, no fine-tuning; B = common training (E-F) -> L1 -> fine-tune F;
 * C = common training (E-L) -> group lasso on the channels to drop (L) -> prune, no fine-tuning; D = STP
 * (stimulative training of the width+depth supernet, then KD-guided exploration with subnet mutating expansion,
 * E epochs together) -> extract, no fine-tuning. B and C branch from A's run (snapshots after E-F and E-L epochs).
 * BN is recalibrated identically (512 training images) in every arm. The relative-sparsity measurement
 * (mean |W_kept| / mean |W_dropped| of the L1 plan at each target) is recorded per epoch for A, C and D.
 */
public final class StpReproduction implements Reproduction {

    static final double[] TARGETS = {0.5, 0.15};
    static final double LR = 0.05, FINETUNE_LR = 0.01;

    /**
     * Sizes per scale: images, batch, total epochs E, fine-tune epochs F (arm B), group-lasso epochs L (arm C),
     * exploration epochs of STP, chunks per group, exploration mode (ST steps per candidate; 0 = forward-only scoring
     * of each round's candidates on one batch), and the network (blocks and widths per stage).
     */
    record Budget(int train, int test, int batch, int epochs, int finetune, int lasso, int explore, int chunks,
                  int candidateSteps, int[] blocks, int[] widths) {
        Model model(long seed) {
            return Models.resnetStages(blocks, widths, 1, 28, 10, seed, "resnet" + (2 + 2 * java.util.Arrays.stream(blocks).sum()) + "-" + widthLabel());
        }

        String widthLabel() { return java.util.Arrays.stream(widths).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining("/")); }
    }

    static Budget budget(Scale s) {
        return switch (s) {
            case SMOKE -> new Budget(128, 100, 32, 2, 1, 1, 1, 2, 0, new int[]{2, 2}, new int[]{4, 8});
            case QUICK -> new Budget(1000, 1000, 50, 4, 1, 2, 2, 4, 0, new int[]{3, 3, 3}, new int[]{8, 16, 32});
            case FULL -> new Budget(5000, 5000, 64, 10, 2, 3, 5, 4, 1, new int[]{3, 3, 3}, new int[]{8, 16, 32});
        };
    }

    @Override
    public String name() { return "stp"; }

    @Override
    public String title() { return "STP: structured pruning via stimulative training (arXiv 2403.06417, ECCV 2024)"; }

    /** The reproduction's outputs beyond the standard result: the relative-sparsity records and STP's runs. */
    public record Outcome(ReproductionResult result, RelativeSparsity sparsity, List<StpResult> stp) {}

    @Override
    public ReproductionResult run(Scale scale, int seeds) { return run(scale, seeds, RunMemo.none()); }

    @Override
    public ReproductionResult run(Scale scale, int seeds, RunMemo memo) {
        Outcome o = runDetailed(scale, seeds, memo);
        System.out.println(o.sparsity().summary().printAll());
        return o.result();
    }

    /** Runs every arm; also returns the relative-sparsity records (seed 1) and the STP runs (one per seed). */
    public Outcome runDetailed(Scale scale, int seeds) { return runDetailed(scale, seeds, RunMemo.none()); }

    /**
     * As {@link #runDetailed(Scale, int)}, keeping per seed the baseline arms (A, B, C) and STP (D) in {@code memo};
     * {@link Outcome#stp()} then holds the STP runs trained in this call only.
     */
    public Outcome runDetailed(Scale scale, int seeds, RunMemo memo) {
        long began = System.nanoTime();
        Budget b = budget(scale);
        ImageData data = FashionMnist.load().subset(b.train(), b.test()).augment(Augmentation.flipCrop(2));
        Results results = Results.create();
        RelativeSparsity sparsity = new RelativeSparsity();
        Map<String, List<Double>> acc = new LinkedHashMap<>(), measures = new LinkedHashMap<>();
        double maxOvershoot = Double.NEGATIVE_INFINITY, maskedVsExtracted = 0;
        List<StpResult> stpRuns = new ArrayList<>();
        for (int seed = 1; seed <= seeds; seed++) {
            int s = seed;
            Map<Double, Double> keep = new LinkedHashMap<>();   // uniform per-group keep fraction of L1 pruning per target
            for (double t : TARGETS) keep.put(t, StructuredPruner.l1(b.model(seed), t).keepFraction());
            Arms abc = memo.get(RunMemo.key(name(), scale.label(), "A-B-C", "seed" + seed, budgetKey(b)), Arms.class,
                    () -> baselines(data, b, scale, s, keep));
            Arms d = memo.get(RunMemo.key(name(), scale.label(), "D", "seed" + seed, budgetKey(b)), Arms.class, () -> {
                StpDone done = stp(data, b, scale, s, keep);
                stpRuns.add(done.run());
                return done.arms();
            });
            for (Arms a : List.of(abc, d)) {
                a.configs().forEach(results::config);
                a.rows().forEach(results::add);
                a.accuracy().forEach((k, v) -> add(acc, k, v));
                a.measures().forEach((k, v) -> add(measures, k, v));
                maxOvershoot = Math.max(maxOvershoot, a.maxOvershoot());
                maskedVsExtracted = Math.max(maskedVsExtracted, a.maskedVsExtracted());
                sparsity.addAll(a.sparsity());
            }
        }
        List<Claim> claims = claims(acc, measures, maxOvershoot, maskedVsExtracted);
        Map<String, XYChart> extra = new LinkedHashMap<>();
        extra.put("relative_sparsity", sparsity.plot());
        extra.put("dropped_magnitude", sparsity.plotDropped());
        ReproductionResult r = new ReproductionResult(name(), title(), scale, results, claims,
                results.plotAccuracyVsMacs("STP vs baselines on Fashion-MNIST, ResNet " + b.widthLabel() + " (" + scale.label() + ")"), extra,
                (System.nanoTime() - began) / 1e9);
        return new Outcome(r, sparsity, stpRuns);
    }

    /**
     * What some arms of one seed leave for the tables, claims and plots: rows and configs, accuracies and
     * relative-sparsity measures by claim key, the largest MACs overshoot, the masked-vs-extracted difference (D), and
     * the relative-sparsity records (seed 1 only).
     */
    record Arms(List<ResultRow> rows, Map<String, String> configs, Map<String, Double> accuracy, Map<String, Double> measures,
                double maxOvershoot, double maskedVsExtracted, List<RelativeSparsity.Row> sparsity) {}

    /** The budget as a memo key (a record's toString would print its arrays' identities, not their values). */
    static String budgetKey(Budget b) {
        return String.format("Budget[train=%d, test=%d, batch=%d, epochs=%d, finetune=%d, lasso=%d, explore=%d, chunks=%d, "
                        + "candidateSteps=%d, blocks=%s, widths=%s]", b.train(), b.test(), b.batch(), b.epochs(), b.finetune(), b.lasso(),
                b.explore(), b.chunks(), b.candidateSteps(), java.util.Arrays.toString(b.blocks()), java.util.Arrays.toString(b.widths()));
    }

    /** A: common training then L1 without fine-tuning; B: L1 on A's snapshot + fine-tuning; C: group lasso on A's snapshot. */
    static Arms baselines(ImageData data, Budget b, Scale scale, int seed, Map<Double, Double> keep) {
        Model dense = b.model(seed);
        List<ResultRow> rowList = new ArrayList<>();
        Map<String, String> configs = new LinkedHashMap<>();
        Map<String, Double> acc = new LinkedHashMap<>(), measures = new LinkedHashMap<>();
        RelativeSparsity sparsity = new RelativeSparsity();
        double maxOvershoot = Double.NEGATIVE_INFINITY;
        Rows rows = new Rows(rowList, scale, seed, dense.macs(), dense.params());
        boolean record = seed == 1;
        if (record) for (double t : TARGETS) sparsity.record("A", t, 0, dense, keep.get(t));
        Map<Integer, Model> snapshots = new LinkedHashMap<>();
        int snapF = b.epochs() - b.finetune(), snapL = b.epochs() - b.lasso();
        if (snapF <= 0 || snapL <= 0) throw new IllegalStateException("B and C branch from A's training: F and L must be < E");
        // A: common training, E epochs (snapshots for B and C on the way)
        Run a = trainer(dense, data, b.epochs(), LR, seed, "A common training", b.batch()).onEpoch(e -> {
            if (e.epoch() == snapF || e.epoch() == snapL) snapshots.put(e.epoch(), dense.copy());
            if (record) for (double t : TARGETS) sparsity.record("A", t, e.epoch(), dense, keep.get(t));
        }).fit();
        configs.put(a.configHash(), a.configJson());
        rows.add("dense (A trained)", a.testAccuracy(), dense.macs(), dense.params(), a.seconds(), b.epochs(), a.configHash(), "no pruning");
        for (double t : TARGETS) {
            String tag = "@" + Math.round(t * 100) + "%";
            // A: L1 prune, recalibrate, no fine-tune
            long t0 = System.nanoTime();
            StructuredPruner.Result pa = StructuredPruner.l1(dense, t);
            Recalibration.bn(pa.pruned(), data.train(), Recalibration.DEFAULT_IMAGES);
            double accA = Evaluation.accuracy(pa.pruned(), data.test());
            rows.add("A-l1" + tag, accA, pa.pruned().macs(), pa.pruned().params(), a.seconds() + secs(t0), b.epochs(), a.configHash(), "no fine-tune");
            acc.put("A" + tag, accA);
            maxOvershoot = Math.max(maxOvershoot, pa.macsRatio() - t);
            // B: snapshot after E-F epochs, L1 prune, recalibrate, fine-tune F epochs
            t0 = System.nanoTime();
            StructuredPruner.Result pb = StructuredPruner.l1(snapshots.get(snapF), t);
            Recalibration.bn(pb.pruned(), data.train(), Recalibration.DEFAULT_IMAGES);
            Run ft = trainer(pb.pruned(), data, b.finetune(), FINETUNE_LR, seed, "B fine-tune " + tag, b.batch()).fit();
            configs.put(ft.configHash(), ft.configJson());
            rows.add("B-l1-ft" + tag, ft.testAccuracy(), pb.pruned().macs(), pb.pruned().params(), secs(t0), b.epochs(), ft.configHash(),
                    (b.epochs() - b.finetune()) + " epochs training + " + b.finetune() + " fine-tune");
            acc.put("B" + tag, ft.testAccuracy());
            maxOvershoot = Math.max(maxOvershoot, pb.macsRatio() - t);
            // C: snapshot after E-L epochs, group lasso on the channels to drop for L epochs, prune, no fine-tune
            t0 = System.nanoTime();
            Model c = snapshots.get(snapL).copy();
            int lassoSteps = b.lasso() * data.train().batchCount(b.batch());
            double lambda = 2.0 / (LR * lassoSteps);
            GroupLasso lasso = GroupLasso.of(c, lambda, keep.get(t));
            var graph = Graphs.train(c, lasso);
            if (record) sparsity.record("C", t, snapL, c, keep.get(t));
            Run lr = trainer(c, data, b.lasso(), LR, seed, "C group lasso " + tag, b.batch())
                    .step((ctx, batch) -> { lasso.refresh(); return ctx.standardStep(graph, batch); }, lasso.toString())
                    .onEpoch(e -> { if (record) sparsity.record("C", t, snapL + e.epoch(), c, keep.get(t)); }).fit();
            configs.put(lr.configHash(), lr.configJson());
            StructuredPruner.Result pc = StructuredPruner.l1(c, t);
            Recalibration.bn(pc.pruned(), data.train(), Recalibration.DEFAULT_IMAGES);
            double accC = Evaluation.accuracy(pc.pruned(), data.test());
            rows.add("C-group-lasso" + tag, accC, pc.pruned().macs(), pc.pruned().params(), secs(t0), b.epochs(), lr.configHash(),
                    String.format("%d epochs training + %d group lasso (lambda %.3g), no fine-tune", snapL, b.lasso(), lambda));
            acc.put("C" + tag, accC);
            maxOvershoot = Math.max(maxOvershoot, pc.macsRatio() - t);
            if (record) {
                measures.put("droppedC" + tag, sparsity.last("C", t).dropped());
                measures.put("droppedA" + tag, sparsity.last("A", t).dropped());
                measures.put("ratioA" + tag, sparsity.last("A", t).ratio());
            }
        }
        return new Arms(rowList, configs, acc, measures, maxOvershoot, 0, sparsity.rows());
    }

    /** Arm D's run (for notebooks) and its numbers (for the memo). */
    record StpDone(StpResult run, Arms arms) {}

    /** D: STP training of the supernet with exploration and expansion, then each target's subnet extracted, no fine-tuning. */
    static StpDone stp(ImageData data, Budget b, Scale scale, int seed, Map<Double, Double> keep) {
        long t0 = System.nanoTime();
        Model dense = b.model(seed);
        List<ResultRow> rowList = new ArrayList<>();
        Map<String, Double> acc = new LinkedHashMap<>(), measures = new LinkedHashMap<>();
        RelativeSparsity sparsity = new RelativeSparsity();
        Rows rows = new Rows(rowList, scale, seed, dense.macs(), dense.params());
        boolean record = seed == 1;
        double maxOvershoot = Double.NEGATIVE_INFINITY;
        Model net = b.model(seed);
        if (record) for (double t : TARGETS) sparsity.record("D", t, 0, net, keep.get(t));
        StpResult d = Stp.of(net).on(data).chunks(b.chunks()).epochs(b.epochs()).exploreEpochs(b.explore())
                .candidateSteps(b.candidateSteps()).toMacs(TARGETS).sgd(LR).batch(b.batch())
                .seed(seed).evalEvery(b.epochs()).name("D STP")
                .onEpoch(e -> { if (record) for (double t : TARGETS) sparsity.record("D", t, e.epoch(), net, keep.get(t)); })
                .fit();
        double stpSeconds = secs(t0);
        rows.add("D-stp-supernet", d.run().testAccuracy(), net.macs(), net.params(), stpSeconds, d.epochs(), d.run().configHash(),
                "the full network after STP training (no pruning)");
        for (double t : TARGETS) {
            String tag = "@" + Math.round(t * 100) + "%";
            Model p = d.pruned(t);
            double accD = Evaluation.accuracy(p, data.test());
            rows.add("D-stp" + tag, accD, p.macs(), p.params(), stpSeconds, d.epochs(), d.run().configHash(),
                    "explored " + d.architecture(t) + ", no fine-tune");
            acc.put("D" + tag, accD);
            maxOvershoot = Math.max(maxOvershoot, p.macs() / (double) dense.macs() - t);
            if (record) {
                measures.put("ratioD" + tag, sparsity.last("D", t).ratio());
                measures.put("ratioD0" + tag, firstRatio(sparsity, "D", t));
                measures.put("droppedD" + tag, sparsity.last("D", t).dropped());
            }
        }
        double maskedVsExtracted = d.space().maxDifferenceToExtracted(d.architecture(0.15), data.test().head(64).images());
        return new StpDone(d, new Arms(rowList, Map.of(d.run().configHash(), d.run().configJson()), acc, measures, maxOvershoot,
                maskedVsExtracted, sparsity.rows()));
    }

    /** METHODS.md section 2's claims with thresholds fixed before running (docs/results/stp.md). */
    static List<Claim> claims(Map<String, List<Double>> acc, Map<String, List<Double>> m, double maxOvershoot, double maskedVsExtracted) {
        double d15 = mean(acc, "D@15%"), d50 = mean(acc, "D@50%");
        List<Claim> c = new ArrayList<>();
        c.add(Claim.atLeast("(1) under ST the kept/dropped ratio rises over training (D, 15% plan): ratio_end - ratio_start",
                mean(m, "ratioD@15%") - mean(m, "ratioD0@15%"), 0));
        c.add(Claim.atLeast("(1) ST's relative sparsity exceeds common training's at the end (15% plan): ratio_D / ratio_A",
                mean(m, "ratioD@15%") / mean(m, "ratioA@15%"), 1.0));
        c.add(Claim.atLeast("(1) under ST dropped weights keep common training's magnitude: mean|W_dropped| D / A (15% plan)",
                mean(m, "droppedD@15%") / mean(m, "droppedA@15%"), 0.5));
        c.add(Claim.atMost("(1) under group lasso dropped weights go to ~0: mean|W_dropped| C / A (15% plan)",
                mean(m, "droppedC@15%") / mean(m, "droppedA@15%"), 0.1));
        c.add(Claim.atLeast("(2) at 15% MACs STP beats L1 without fine-tuning clearly: acc D - acc A", d15 - mean(acc, "A@15%"), 0.02));
        c.add(Claim.atLeast("(2) at 15% MACs STP beats group lasso clearly: acc D - acc C", d15 - mean(acc, "C@15%"), 0.02));
        c.add(Claim.atLeast("(2) at 15% MACs STP (no fine-tune) >= L1 + fine-tune within 1 pt: acc D - acc B", d15 - mean(acc, "B@15%"), -0.01));
        c.add(Claim.atLeast("(2) the gain over A grows as the target shrinks: (D - A)@15% - (D - A)@50%",
                (d15 - mean(acc, "A@15%")) - (d50 - mean(acc, "A@50%")), 0));
        c.add(Claim.atMost("every arm reaches its MACs target: max(achieved ratio - target)", maxOvershoot, 0.02));
        c.add(Claim.atMost("the masked width+depth subnet and its extracted network give the same logits: max |difference|", maskedVsExtracted, 1e-4));
        return c;
    }

    private static double firstRatio(RelativeSparsity s, String arm, double t) {
        var table = s.table();
        for (int i = 0; i < table.rowCount(); i++)
            if (table.stringColumn("arm").get(i).equals(arm) && table.doubleColumn("target").get(i) == t)
                return table.doubleColumn("ratio").get(i);
        return Double.NaN;
    }

    static Trainer trainer(Model m, ImageData data, int epochs, double lr, long seed, String name, int batch) {
        return Trainer.of(m).on(data).epochs(epochs).batch(batch).sgd(lr).cosine().seed(seed).name(name).evalEvery(epochs);
    }

    private static void add(Map<String, List<Double>> m, String k, double v) { m.computeIfAbsent(k, x -> new ArrayList<>()).add(v); }

    static double mean(Map<String, List<Double>> m, String k) {
        return m.getOrDefault(k, List.of()).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }

    /** Appends rows with ratios to the dense model. */
    private record Rows(List<ResultRow> rows, Scale scale, int seed, long denseMacs, long denseParams) {
        void add(String arm, double acc, long macs, long params, double wall, int epochs, String hash, String note) {
            rows.add(new ResultRow("stp", arm, seed, scale.label(), acc, macs, params, macs / (double) denseMacs,
                    params / (double) denseParams, wall, epochs, hash, RunInfo.now(), note));
        }
    }
}
