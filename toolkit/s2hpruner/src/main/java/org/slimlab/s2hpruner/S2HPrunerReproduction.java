package org.slimlab.s2hpruner;

import org.slimlab.data.Augmentation;
import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.prune.Slicer;
import org.slimlab.prune.StructuredPruner;
import org.slimlab.repro.Claim;
import org.slimlab.repro.Reproduction;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.Scale;
import org.slimlab.results.ResultRow;
import org.slimlab.results.Results;
import org.slimlab.results.RunInfo;
import org.slimlab.train.Evaluation;
import org.slimlab.train.Recalibration;
import org.slimlab.train.Run;
import org.slimlab.train.Trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The small-scale reproduction of S2HPruner ("S2HPruner: Soft-to-Hard Distillation Bridges the Discretization Gap in Pruning" (Lin et al., NeurIPS 2024, arXiv 2410.07046), METHODS.md §1): a VGG-style CNN with BN
 * (16-16-32-32-64-64) on Fashion-MNIST, pretrained densely, then pruned to 35% of the MACs by (a) DMP (CE + resource
 * loss, hard network extracted at the end), (b) S2HPruner, (c) the coupled-KD ablation (the hard-to-soft KD also
 * trains the weights) and (d) the no-G_u ablation, all from the same dense weights with the same epochs; S2HPruner
 * (and DMP at full scale) also at 50% and 20%, with L1-norm one-shot pruning of the dense model (BN recalibrated, no
 * fine-tuning) as the reference line. Every hard network is physically sliced, BN recalibrated, not fine-tuned, and
 * counted on the sliced network. Results rows hold the hard accuracy; the note holds the soft accuracy and the gap.
 * <pre>{@code
 * var arms = new ArrayList<S2HPrunerReproduction.Arms>();
 * var rep = new S2HPrunerReproduction().onArms(arms::add).run(QUICK, 1);   // or reproduce("s2hpruner", QUICK)
 * arms.get(0).table();                          // soft acc, hard acc, gap, MACs ratio per arm
 * rep.plot(); S2HPrunerReproduction.oursVsPaper(rep);
 * }</pre>
 */
public final class S2HPrunerReproduction implements Reproduction {

    static final int[] VGG = {16, 16, Models.POOL, 32, 32, Models.POOL, 64, 64, Models.POOL};
    static final double TARGET = 0.35;
    static final double[] SWEEP = {0.5, 0.35, 0.2};
    static final double DENSE_LR = 0.02;

    /** Sizes per scale: images, epochs of dense pretraining and of pruning, which arms sweep the targets. */
    record Budget(int trainImages, int testImages, int denseEpochs, int pruneEpochs, int batch, double maskLr, boolean sweepDmp) {}

    /**
     * Quick and smoke train few steps, so the mask logits get a larger Adam rate (the widths must reach the budget
     * within a few dozen updates); full, with ~380 updates per arm, a smaller one.
     */
    static Budget budget(Scale s) {
        return switch (s) {
            case SMOKE -> new Budget(128, 128, 1, 1, 64, 0.1, false);
            case QUICK -> new Budget(1200, 1000, 3, 2, 64, 0.1, false);
            // METHODS.md: up to ~15 min per arm on 2 cores; an S2HPruner step costs three passes
            case FULL -> new Budget(12000, 10000, 6, 4, 128, 0.03, true);
        };
    }

    /** Everything one seed produced, for tables and plots beyond the results rows. */
    public record Arms(Model dense, double denseAccuracy, List<S2HResult> pruned, List<StructuredPruner.Result> l1,
                       List<Double> l1Accuracy, double maskedVsSliced) {
        /** Per pruned arm: arm, target, soft acc, hard acc, gap, MACs ratio (counted on the sliced network). */
        public tech.tablesaw.api.Table table() {
            tech.tablesaw.api.Table t = null;
            for (S2HResult r : pruned) t = t == null ? r.table().copy() : t.append(r.table());
            return t == null ? null : t.setName("S2HPruner arms");
        }
    }

    private Consumer<Arms> armsListener = a -> {};

    /** Receives each seed's arms as they finish (the notebook uses it for the soft/hard table). */
    public S2HPrunerReproduction onArms(Consumer<Arms> listener) {
        this.armsListener = listener;
        return this;
    }

    @Override
    public String name() { return "s2hpruner"; }

    @Override
    public String title() { return "S2HPruner: Soft-to-Hard Distillation Bridges the Discretization Gap in Pruning (arXiv 2410.07046)"; }

    @Override
    public ReproductionResult run(Scale scale, int seeds) {
        long began = System.nanoTime();
        Budget b = budget(scale);
        ImageData data = FashionMnist.load().subset(b.trainImages(), b.testImages()).augment(Augmentation.flipCrop(2));
        Results results = Results.create();
        List<Arms> all = new ArrayList<>();
        for (int seed = 1; seed <= seeds; seed++) {
            Arms a = arms(data, b, scale, seed, results);
            all.add(a);
            armsListener.accept(a);
        }
        return new ReproductionResult(name(), title(), scale, results, claims(all), results.plotAccuracyVsMacs(
                "S2HPruner vs DMP and L1 one-shot, VGG on Fashion-MNIST (" + scale.label() + ")"), Map.of(),
                (System.nanoTime() - began) / 1e9);
    }

    /** One seed: dense pretraining, L1 reference at every target, the pruning arms; rows appended to {@code results}. */
    static Arms arms(ImageData data, Budget b, Scale scale, int seed, Results results) {
        Model dense = Models.vgg(VGG, 1, 28, 10, seed).named("vgg-16-16-32-32-64-64");
        Run run = Trainer.of(dense).on(data).epochs(b.denseEpochs()).batch(b.batch()).sgd(DENSE_LR).cosine().seed(seed)
                .name("dense vgg").fit();
        results.config(run.configHash(), run.configJson());
        row(results, scale, seed, dense, "dense", run.testAccuracy(), dense, run.seconds(), b.denseEpochs(), run.configHash(), "");
        List<StructuredPruner.Result> l1 = new ArrayList<>();
        List<Double> l1Acc = new ArrayList<>();
        for (double t : SWEEP) {
            long t0 = System.nanoTime();
            StructuredPruner.Result p = StructuredPruner.l1(dense, t);
            Recalibration.bn(p.pruned(), data.train(), Recalibration.DEFAULT_IMAGES);
            double acc = Evaluation.accuracy(p.pruned(), data.test());
            l1.add(new StructuredPruner.Result(p.plan(), p.pruned().copy(), p.macsRatio(), p.keepFraction()));
            l1Acc.add(acc);
            row(results, scale, seed, dense, "l1-oneshot" + tag(t), acc, p.pruned(), secs(t0), 0, run.configHash(), "no fine-tune");
        }
        List<S2HResult> pruned = new ArrayList<>();
        double maskedVsSliced = 0;
        for (S2HStep.Variant v : S2HStep.Variant.values()) {
            boolean sweep = v == S2HStep.Variant.S2HPRUNER || (v == S2HStep.Variant.DMP && b.sweepDmp());
            for (double t : sweep ? SWEEP : new double[]{TARGET}) {
                S2HResult r = S2HPruner.on(dense).variant(v).targetMacs(t).batch(b.batch()).maskLr(b.maskLr()).seed(seed)
                        .name(v.label() + tag(t)).train(data, b.pruneEpochs());
                pruned.add(r);
                results.config(r.run().configHash(), r.run().configJson());
                row(results, scale, seed, dense, v.label() + tag(t), r.hardAccuracy(), r.model(), r.seconds(), b.pruneEpochs(),
                        r.run().configHash(), String.format("soft_acc=%.4f gap=%+.4f expected_macs_ratio=%.4f",
                                r.softAccuracy(), r.gap(), r.masks().expectedMacsRatio()));
                maskedVsSliced = Math.max(maskedVsSliced, Slicer.maxDifferenceToMasked(r.softModel().copy(), r.plan(),
                        data.test().head(32).images()));
                System.gc();   // frees the arm's graphs and their native arrays before the next arm
            }
        }
        return new Arms(dense.copy(), run.testAccuracy(), pruned, l1, l1Acc, maskedVsSliced);
    }

    /** The claims of METHODS.md §1, thresholds fixed there; means over seeds. */
    static List<Claim> claims(List<Arms> all) {
        double gapS2h = mean(all, S2HStep.Variant.S2HPRUNER, TARGET, S2HResult::gap);
        double gapDmp = mean(all, S2HStep.Variant.DMP, TARGET, S2HResult::gap);
        double hardS2h = mean(all, S2HStep.Variant.S2HPRUNER, TARGET, S2HResult::hardAccuracy);
        double hardDmp = mean(all, S2HStep.Variant.DMP, TARGET, S2HResult::hardAccuracy);
        double over = Double.NEGATIVE_INFINITY, overOthers = Double.NEGATIVE_INFINITY, maskDiff = 0;
        for (Arms a : all) {
            maskDiff = Math.max(maskDiff, a.maskedVsSliced());
            for (S2HResult r : a.pruned()) {
                if (r.arm().startsWith(S2HStep.Variant.S2HPRUNER.label() + "@")) over = Math.max(over, r.macsRatio() - r.target());
                else overOthers = Math.max(overOthers, r.macsRatio() - r.target());
            }
        }
        double diff = hardS2h - hardDmp;
        return List.of(
                Claim.atMost("S2HPruner @35%: gap soft - hard accuracy <= 1 pt", gapS2h, 0.01),
                Claim.atLeast("DMP @35%: gap clearly larger than S2HPruner's (DMP gap - S2HPruner gap, >= 1 pt)", gapDmp - gapS2h, 0.01),
                new Claim("S2HPruner @35%: hard accuracy > DMP hard accuracy at equal MACs target (difference)", diff, "> 0", diff > 0),
                Claim.atMost("S2HPruner: achieved MACs ratio - target, max over targets", over, 0.02),
                Claim.atMost("DMP and ablations: achieved MACs ratio - target, max", overOthers, 0.02),
                Claim.atMost("hard masks and the sliced network compute the same logits: max |difference|", maskDiff, 1e-4));
    }

    /** What the paper claims for each of our claims, in order (METHODS.md §1). */
    static final List<String> PAPER = List.of(
            "the hard network loses <= 1 pt against the soft one (decoupled bidirectional KD closes the gap)",
            "DMP's discretization gap is clearly larger",
            "S2HPruner's hard network beats DMP's at equal MACs",
            "the budget is met: achieved MACs ratio <= target + 0.02",
            "(protocol) every pruned arm meets its budget",
            "(protocol) masks and slicing agree");

    /** The "ours vs paper" table: claim, what the paper says, what we measured, the threshold, whether it holds. */
    public static tech.tablesaw.api.Table oursVsPaper(ReproductionResult r) {
        tech.tablesaw.api.StringColumn claim = tech.tablesaw.api.StringColumn.create("claim"),
                paper = tech.tablesaw.api.StringColumn.create("paper (METHODS.md §1)"),
                threshold = tech.tablesaw.api.StringColumn.create("threshold");
        tech.tablesaw.api.DoubleColumn ours = tech.tablesaw.api.DoubleColumn.create("ours (" + r.scale().label() + ")");
        tech.tablesaw.api.BooleanColumn holds = tech.tablesaw.api.BooleanColumn.create("holds");
        List<Claim> claims = r.claimList();
        for (int i = 0; i < claims.size(); i++) {
            claim.append(claims.get(i).statement());
            paper.append(i < PAPER.size() ? PAPER.get(i) : "");
            ours.append(claims.get(i).measured());
            threshold.append(claims.get(i).threshold());
            holds.append(claims.get(i).holds());
        }
        return tech.tablesaw.api.Table.create("S2HPruner: ours vs paper", claim, paper, ours, threshold, holds);
    }

    private static double mean(List<Arms> all, S2HStep.Variant v, double target,
                               java.util.function.ToDoubleFunction<S2HResult> f) {
        String arm = v.label() + tag(target);
        return all.stream().flatMap(a -> a.pruned().stream()).filter(r -> r.arm().equals(arm)).mapToDouble(f).average()
                .orElse(Double.NaN);
    }

    static String tag(double target) { return "@" + Math.round(target * 100) + "%"; }

    private static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }

    private static void row(Results results, Scale scale, int seed, Model dense, String arm, double acc, Model evaluated,
                            double wall, int epochs, String hash, String note) {
        results.add(new ResultRow("s2hpruner", arm, seed, scale.label(), acc, evaluated.macs(), evaluated.params(),
                evaluated.macs() / (double) dense.macs(), evaluated.params() / (double) dense.params(), wall, epochs, hash,
                RunInfo.now(), note));
    }
}
