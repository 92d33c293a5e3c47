package org.slimlab.lts;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slimlab.data.Augmentation;
import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.plot.ChartData;
import org.slimlab.plot.Charts;
import org.slimlab.quant.Quantization;
import org.slimlab.repro.Claim;
import org.slimlab.repro.Reproduction;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.RunMemo;
import org.slimlab.repro.Scale;
import org.slimlab.results.ResultRow;
import org.slimlab.results.Results;
import org.slimlab.train.Optimizers;
import org.slimlab.train.Schedule;
import org.slimlab.train.Trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small-scale reproduction of LTS (arXiv 2211.08544, METHODS.md §4): a 3-conv BN network on Fashion-MNIST,
 * every conv and the linear classifier at W2A2; full-precision pre-training, then from the same weights, with the
 * same data, epochs and seed: QAT baseline (same quantiser, no freezing), LTS (warm-up 20%, beta 0.99, linear
 * threshold), and random freezing at LTS's per-layer rate. Savings: updates eliminated and backward FLOPs saved by
 * the formula, and the weight-gradient wall time measured with the LTS masks ({@link WeightGradientTiming}).
 */
public final class LtsReproduction implements Reproduction {

    /** Full-precision pre-training and QAT learning rates (SGD momentum 0.9, wd 5e-4, cosine); bounds by Adam. */
    static final double FP_LR = 0.02, QAT_LR = 0.01, BOUNDS_LR = 1e-3;
    /** Batch size at which the weight-gradient time is measured. */
    static final int TIMING_BATCH = 32;

    /**
     * Sizes per scale. {@code beta} is the distance EMA's momentum: METHODS.md's 0.99 except at smoke scale, whose 8
     * iterations are too few for a 0.99 average to fall below any threshold (0.5 there, so that freezing, and its
     * checks, happen). {@code extra} are further threshold schedules, run as LTS arms at 2 bits at seed 1 only (they
     * are shown in seed 1's frozen-ratio plot; the claims use the linear schedule).
     */
    record Budget(int train, int test, int fpEpochs, int qatEpochs, int batch, double beta, int[] bits,
                  List<FreezeSchedule> extra, int timingRepeats) {}

    static Budget budget(Scale s) {
        return switch (s) {
            case SMOKE -> new Budget(256, 256, 1, 2, 64, 0.5, new int[]{2}, List.of(), 1);
            case QUICK -> new Budget(2000, 1000, 3, 10, 50, 0.99, new int[]{2}, List.of(), 5);
            case FULL -> new Budget(20000, 10000, 8, 15, 128, 0.99, new int[]{2, 4},
                    List.of(FreezeSchedule.SINE, FreezeSchedule.CONSTANT), 9);
        };
    }

    /** The reproduction network: conv3x3(16)-BN-ReLU-pool, conv3x3(32)-BN-ReLU-pool, conv3x3(64)-BN-ReLU, GAP, linear. */
    public static Model network(long seed) {
        return Models.vgg(new int[]{16, Models.POOL, 32, Models.POOL, 64}, 1, 28, 10, seed).named("cnn3-bn");
    }

    @Override
    public String name() { return "lts"; }

    @Override
    public String title() { return "LTS: lottery ticket scratcher for quantization-aware training (arXiv 2211.08544)"; }

    @Override
    public ReproductionResult run(Scale scale, int seeds) { return run(scale, seeds, RunMemo.none()); }

    @Override
    public ReproductionResult run(Scale scale, int seeds, RunMemo memo) {
        if (seeds < 1) throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        long began = System.nanoTime();
        Budget b = budget(scale);
        ImageData data = FashionMnist.load().subset(b.train(), b.test()).augment(Augmentation.flipCrop(2));
        Results results = Results.create();
        List<SeedRun> runs = new ArrayList<>();
        for (int seed = 1; seed <= seeds; seed++) {
            SeedRun r = seed(data, b, scale, seed, memo);
            r.configs().forEach(results::config);
            r.rows().forEach(results::add);
            runs.add(r);
        }
        double upd = mean(runs, SeedRun::updatesEliminated), bwd = mean(runs, SeedRun::backwardFlopsSaved);
        double ratio = upd == 0 ? Double.NaN : bwd / upd;
        double ltsMinusQat = mean(runs, SeedRun::accLts) - mean(runs, SeedRun::accQat);
        double ltsMinusRandom = mean(runs, SeedRun::accLts) - mean(runs, SeedRun::accRandom);
        double maxWarm = runs.stream().mapToDouble(SeedRun::maxFrozenDuringWarmup).max().orElse(0);
        long decreases = runs.stream().mapToLong(SeedRun::decreases).sum(), compared = runs.stream().mapToLong(SeedRun::compared).sum(),
                changed = runs.stream().mapToLong(SeedRun::changed).sum();
        double blockSaving = mean(runs, SeedRun::blockSaving), elementSaving = mean(runs, SeedRun::elementSaving);
        List<Claim> claims = List.of(
                Claim.atMost("LTS: largest frozen ratio during warm-up (nothing freezes before 20% of QAT)", maxWarm, 0),
                Claim.atMost("LTS and random freezing: times a layer's frozen count went down (freezing is permanent)", decreases, 0),
                Claim.atMost("LTS: frozen weights whose effective value changed after freezing (of " + compared
                        + " comparisons at epoch ends)", changed, 0),
                Claim.atLeast("LTS: updates eliminated (mean over iterations, frozen / all trainable parameters)", upd, 0.25),
                new Claim("LTS: backward FLOPs saved / updates eliminated (about one half)", ratio, "in [0.40, 0.60]",
                        ratio >= 0.4 && ratio <= 0.6),
                Claim.atLeast("LTS accuracy - QAT baseline accuracy (W2A2, mean over seeds; -0.5 pt tolerance)", ltsMinusQat, -0.005),
                new Claim("LTS accuracy - random freezing at the same rate (W2A2, mean over seeds)", ltsMinusRandom, "> 0", ltsMinusRandom > 0),
                Claim.atLeast("QAT baseline: fraction of weights at their final level by 30% of QAT (scratch-off: most)",
                        mean(runs, SeedRun::settled), 0.5),
                new Claim("measured weight-gradient wall time saved, block skip (not a paper claim)", blockSaving, "> 0", blockSaving > 0),
                new Claim("measured weight-gradient wall time saved, element skip (not a paper claim)", elementSaving, "> 0", elementSaving > 0));
        Map<String, XYChart> extra = new LinkedHashMap<>();
        extra.put("accuracy_vs_bitops", bitOpsPlot(runs, scale));
        runs.get(0).plots().forEach((k, v) -> extra.put(k, v.chart()));
        return new ReproductionResult(name(), title(), scale, results, claims,
                results.plotAccuracyVsMacs("LTS on Fashion-MNIST (" + scale.label() + ")"), extra, (System.nanoTime() - began) / 1e9);
    }

    /**
     * What one seed leaves for the tables, claims and plots (gathered from its arms' kept pieces): its rows and
     * configs, the W2A2 numbers the claims average (accuracies, savings, settled fraction, measured time savings) and
     * sum (freezing checks), each arm's (bit-operations, accuracy) point, and for seed 1 the frozen-ratio and
     * scratch-off charts.
     */
    record SeedRun(List<ResultRow> rows, Map<String, String> configs, Map<String, double[]> bitOpsPoints,
                   double accQat, double accLts, double accRandom, double updatesEliminated, double backwardFlopsSaved,
                   double settled, double blockSaving, double elementSaving, double maxFrozenDuringWarmup,
                   long decreases, long compared, long changed, Map<String, ChartData> plots) {}

    /** The budget as a memo key (a record's toString would print the bits array's identity, not its values). */
    static String budgetKey(Budget b) {
        return String.format("Budget[train=%d, test=%d, fpEpochs=%d, qatEpochs=%d, batch=%d, beta=%s, bits=%s, extra=%s, timingRepeats=%d]",
                b.train(), b.test(), b.fpEpochs(), b.qatEpochs(), b.batch(), b.beta(), java.util.Arrays.toString(b.bits()), b.extra(),
                b.timingRepeats());
    }

    /**
     * One seed: full-precision pre-training, then per bit width the QAT, LTS and random-freezing arms, and at seed 1
     * the extra threshold schedules at 2 bits; each arm is kept on its own in {@code memo}.
     */
    static SeedRun seed(ImageData data, Budget b, Scale scale, int seed, RunMemo memo) {
        LtsArms arms = new LtsArms(data, b, scale, seed, memo);
        List<LtsArms.Arm> all = new ArrayList<>();
        Map<String, double[]> bitPoints = new LinkedHashMap<>();
        Map<String, ChartData> plots = new LinkedHashMap<>();
        LtsArms.Arm fp = arms.fp();
        all.add(fp);
        bitPoints.put("fp32", new double[]{fp.bitOps(), fp.row().accuracy()});
        LtsArms.Arm qat2 = null, lts2 = null, random2 = null;
        for (int bits : b.bits()) {
            LtsArms.Arm qat = arms.qat(bits), lts = arms.lts(bits), random = arms.random(bits, lts);
            all.addAll(List.of(qat, lts, random));
            for (LtsArms.Arm a : List.of(qat, lts, random)) bitPoints.put(a.row().arm(), new double[]{a.bitOps(), a.row().accuracy()});
            if (bits != 2) continue;
            qat2 = qat; lts2 = lts; random2 = random;
            if (seed != 1) continue;
            XYChart frozen = Charts.unitIntervalX(Charts.xy("frozen ratio over QAT, W2A2, seed 1 (" + scale.label() + ")",
                    "fraction of QAT iterations", "fraction of weights frozen"));
            addFrozenCurve(frozen, "lts (linear)", lts);
            // the control follows LTS's per-layer counts, so its curve is LTS's: drawn as sparse markers on top
            double[] rx = random.curves().get("frozenX"), ry = random.curves().get("frozenY");
            List<Double> px = new ArrayList<>(), py = new ArrayList<>();
            for (int i = 0; i < rx.length; i += Math.max(1, rx.length / 25)) { px.add(rx[i]); py.add(ry[i]); }
            Charts.points(frozen, "random freezing (matched to lts)", px, py).setMarker(SeriesMarkers.DIAMOND);
            for (FreezeSchedule sc : b.extra()) {
                LtsArms.Arm other = arms.schedule(sc, bits);
                all.add(other);
                addFrozenCurve(frozen, "lts (" + sc.label() + ")", other);
            }
            plots.put("frozen_ratio", ChartData.of(frozen));
            plots.put("scratch_off", ChartData.of(scratchOffPlot(qat.curves().get("scratchOff"), scale)));
        }
        if (qat2 == null) throw new IllegalArgumentException("the LTS claims need a 2-bit arm; bits were " + java.util.Arrays.toString(b.bits()));
        List<ResultRow> rows = all.stream().map(LtsArms.Arm::row).toList();
        Map<String, String> configs = new LinkedHashMap<>();
        for (LtsArms.Arm a : all) configs.put(a.row().configHash(), a.configJson());
        return new SeedRun(rows, configs, bitPoints, qat2.row().accuracy(), lts2.row().accuracy(), random2.row().accuracy(),
                lts2.number("updatesEliminated"), lts2.number("backwardFlopsSaved"), qat2.number("settled"),
                lts2.number("blockSaving"), lts2.number("elementSaving"), lts2.number("maxFrozenDuringWarmup"),
                (long) (lts2.number("decreases") + random2.number("decreases")), (long) lts2.number("compared"),
                (long) lts2.number("changed"), plots);
    }

    private static void addFrozenCurve(XYChart c, String series, LtsArms.Arm a) {
        Charts.curve(c, series, a.curves().get("frozenX"), a.curves().get("frozenY"));
    }

    static Trainer trainer(Model m, ImageData data, int epochs, double lr, long seed, String name) {
        return Trainer.of(m).on(data).epochs(epochs).batch(128).sgd(lr).cosine().seed(seed).name(name);
    }

    static Trainer qatTrainer(Model q, ImageData data, Budget b, long seed, String name) {
        return Trainer.of(q).on(data).epochs(b.qatEpochs()).batch(b.batch()).sgd(QAT_LR).cosine().seed(seed).name(name)
                .group("bounds", Quantization.bounds(), Optimizers.adam(BOUNDS_LR), Schedule.constant());
    }

    /** Each arm at its bit-operations, accuracy averaged over seeds. */
    static XYChart bitOpsPlot(List<SeedRun> runs, Scale scale) {
        XYChart c = Charts.xy("accuracy vs bit-operations (" + scale.label() + ")",
                "bit-operations per image (millions: MACs x weight bits x activation bits, log scale)", "top-1 test accuracy");
        c.getStyler().setXAxisLogarithmic(true);
        for (String arm : runs.get(0).bitOpsPoints().keySet()) {
            double x = runs.get(0).bitOpsPoints().get(arm)[0] / 1e6;
            double y = runs.stream().mapToDouble(r -> r.bitOpsPoints().get(arm)[1]).average().orElse(Double.NaN);
            Charts.points(c, arm, List.of(x), List.of(y)).setMarker(SeriesMarkers.CIRCLE);
        }
        return c;
    }

    /** The fractions of QAT at which the scratch-off curve is kept (0, 0.02, ..., 1). */
    static final double[] SCRATCH_OFF_FRACTIONS = java.util.stream.IntStream.rangeClosed(0, 50).mapToDouble(i -> i / 50.0).toArray();

    /** The baseline's scratch-off curve ({@code y} at {@link #SCRATCH_OFF_FRACTIONS}) with the 30% mark. */
    static XYChart scratchOffPlot(double[] y, Scale scale) {
        XYChart c = Charts.unitIntervalX(Charts.xy("scratch-off: QAT baseline, W2A2, seed 1 (" + scale.label() + ")",
                "fraction of QAT iterations", "fraction of weights already at their final level"));
        Charts.line(c, "weights at final level", java.util.Arrays.stream(SCRATCH_OFF_FRACTIONS, 0, y.length).boxed().toList(),
                java.util.Arrays.stream(y).boxed().toList());
        Charts.line(c, "30% of QAT", List.of(0.3, 0.3), List.of(0.0, 1.0));
        return c;
    }

    static double mean(List<SeedRun> runs, java.util.function.ToDoubleFunction<SeedRun> f) {
        return runs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
