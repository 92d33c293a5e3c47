package org.slimlab.lts;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.ndarray.INDArray;
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
import org.slimlab.results.RunInfo;
import org.slimlab.train.Optimizers;
import org.slimlab.train.Run;
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
     * checks, happen). {@code extra} are further threshold schedules (LTS arms at 2 bits) run at that scale.
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
            int s = seed;
            SeedRun r = memo.get(RunMemo.key(name(), scale.label(), "seed" + seed, budgetKey(b)), SeedRun.class,
                    () -> seed(data, b, scale, s));
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
     * What one seed leaves for the tables, claims and plots: its rows and configs, the W2A2 numbers the claims average
     * (accuracies, savings, settled fraction, measured time savings) and sum (freezing checks), each arm's
     * (bit-operations, accuracy) point, and for seed 1 the frozen-ratio and scratch-off charts.
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

    /** One seed: full-precision pre-training, then per bit width the QAT, LTS and random-freezing arms (extra schedules at 2 bits). */
    static SeedRun seed(ImageData data, Budget b, Scale scale, int seed) {
        INDArray initBatch = data.train().head(Math.min(128, b.train())).images();
        List<ResultRow> rowList = new ArrayList<>();
        Map<String, String> configs = new LinkedHashMap<>();
        Map<String, double[]> bitPoints = new LinkedHashMap<>();
        Map<String, ChartData> plots = new LinkedHashMap<>();
        double accQat = Double.NaN, accLts = Double.NaN, accRandom = Double.NaN, updates = Double.NaN, backward = Double.NaN,
                settled = Double.NaN, blockSaving = Double.NaN, elementSaving = Double.NaN, maxWarm = 0;
        long decreases = 0, compared = 0, changed = 0;
        Model fp = network(seed);
        Run fpRun = trainer(fp, data, b.fpEpochs(), FP_LR, seed, "fp pre-training").fit();
        Rows rows = new Rows(rowList, scale, seed, fp);
        configs.put(fpRun.configHash(), fpRun.configJson());
        rows.add("fp32", fpRun.testAccuracy(), fp, fpRun.seconds(), b.fpEpochs(), fpRun.configHash(), "full precision (pre-training)");
        bitPoints.put("fp32", new double[]{Quantization.bitOps(fp), fpRun.testAccuracy()});
        for (int bits : b.bits()) {
            String tag = "-w" + bits + "a" + bits;
            // QAT baseline
            Lts base = Lts.baseline();
            Model qBase = quantized(fp, bits, initBatch);
            Run qat = qatTrainer(qBase, data, b, seed, "qat" + tag).step(base, base.describe()).fit();
            configs.put(qat.configHash(), qat.configJson());
            rows.add("qat" + tag, qat.testAccuracy(), qBase, qat.seconds(), b.qatEpochs(), qat.configHash(),
                    String.format("settled by 30%% of QAT: %.3f", base.log().settledBy(0.3)));
            // LTS, with epoch-end checks of frozen values and measured weight-gradient times
            Lts lts = Lts.scratcher().beta(b.beta());
            Model qLts = quantized(fp, bits, initBatch);
            FrozenValueCheck check = new FrozenValueCheck();
            List<WeightGradientTiming.Result> timings = new ArrayList<>();
            Run ltsRun = qatTrainer(qLts, data, b, seed, "lts" + tag).step(lts, lts.describe())
                    .onEpoch(e -> {
                        check.snapshot(qLts);
                        timings.add(WeightGradientTiming.measure(qLts, TIMING_BATCH, b.timingRepeats()));
                    }).fit();
            FreezeLog log = lts.log();
            double blk = timings.stream().mapToDouble(WeightGradientTiming.Result::blockSaving).average().orElse(0);
            double ele = timings.stream().mapToDouble(WeightGradientTiming.Result::elementSaving).average().orElse(0);
            configs.put(ltsRun.configHash(), ltsRun.configJson());
            rows.add("lts" + tag, ltsRun.testAccuracy(), qLts, ltsRun.seconds(), b.qatEpochs(), ltsRun.configHash(),
                    String.format("updates eliminated %.3f, backward FLOPs saved %.3f, frozen at end %.3f; measured weight-gradient "
                                    + "time saved: block skip %.3f, element skip %.3f", log.updatesEliminated(),
                            log.backwardFlopsSaved(), log.finalFrozenRatio(), blk, ele));
            // random freezing at LTS's per-layer rate
            Lts random = Lts.randomFreezing(log, seed);
            Model qRandom = quantized(fp, bits, initBatch);
            Run rnd = qatTrainer(qRandom, data, b, seed, "random" + tag).step(random, random.describe()).fit();
            configs.put(rnd.configHash(), rnd.configJson());
            rows.add("random-freeze" + tag, rnd.testAccuracy(), qRandom, rnd.seconds(), b.qatEpochs(), rnd.configHash(),
                    String.format("updates eliminated %.3f", random.log().updatesEliminated()));
            double bitOps = Quantization.bitOps(qLts);
            bitPoints.put("qat" + tag, new double[]{bitOps, qat.testAccuracy()});
            bitPoints.put("lts" + tag, new double[]{bitOps, ltsRun.testAccuracy()});
            bitPoints.put("random-freeze" + tag, new double[]{bitOps, rnd.testAccuracy()});
            if (bits == 2) {
                accQat = qat.testAccuracy();
                accLts = ltsRun.testAccuracy();
                accRandom = rnd.testAccuracy();
                updates = log.updatesEliminated();
                backward = log.backwardFlopsSaved();
                settled = base.log().settledBy(0.3);
                blockSaving = blk;
                elementSaving = ele;
                maxWarm = log.maxFrozenDuringWarmup();
                decreases = log.decreases() + random.log().decreases();
                compared = check.compared();
                changed = check.changed();
                XYChart frozen = seed == 1 ? log.plot("frozen ratio over QAT, W2A2, seed 1 (" + scale.label() + ")") : null;
                if (frozen != null) {
                    frozen.getSeriesMap().values().iterator().next().setLabel("lts (linear)");
                    random.log().addTo(frozen, "random freezing (matched rate)");
                }
                for (FreezeSchedule sc : b.extra()) {
                    Lts other = Lts.scratcher().beta(b.beta()).schedule(sc);
                    Model qo = quantized(fp, bits, initBatch);
                    Run r = qatTrainer(qo, data, b, seed, "lts-" + sc.label() + tag).step(other, other.describe()).fit();
                    configs.put(r.configHash(), r.configJson());
                    rows.add("lts-" + sc.label() + tag, r.testAccuracy(), qo, r.seconds(), b.qatEpochs(), r.configHash(),
                            String.format("updates eliminated %.3f, backward FLOPs saved %.3f", other.log().updatesEliminated(),
                                    other.log().backwardFlopsSaved()));
                    if (frozen != null) other.log().addTo(frozen, "lts (" + sc.label() + ")");
                }
                if (frozen != null) {
                    plots.put("frozen_ratio", ChartData.of(frozen));
                    plots.put("scratch_off", ChartData.of(scratchOffPlot(base.log(), scale)));
                }
            }
        }
        return new SeedRun(rowList, configs, bitPoints, accQat, accLts, accRandom, updates, backward, settled, blockSaving,
                elementSaving, maxWarm, decreases, compared, changed, plots);
    }

    /** A W{bits}A{bits} copy of {@code fp} with bounds initialised from one batch. */
    static Model quantized(Model fp, int bits, INDArray batch) {
        return Quantization.initBounds(Quantization.quantize(fp, bits), batch);
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

    static XYChart scratchOffPlot(FreezeLog baseline, Scale scale) {
        XYChart c = Charts.xy("scratch-off: QAT baseline, W2A2, seed 1 (" + scale.label() + ")", "fraction of QAT iterations",
                "fraction of weights already at their final level");
        double[] t = new double[51];
        for (int i = 0; i <= 50; i++) t[i] = i / 50.0;
        double[] y = baseline.scratchOff(t);
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int i = 0; i < t.length; i++) { xs.add(t[i]); ys.add(y[i]); }
        Charts.line(c, "weights at final level", xs, ys);
        Charts.line(c, "30% of QAT", List.of(0.3, 0.3), List.of(0.0, 1.0));
        return c;
    }

    static double mean(List<SeedRun> runs, java.util.function.ToDoubleFunction<SeedRun> f) {
        return runs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /** Appends rows with ratios to the full-precision model. */
    private record Rows(List<ResultRow> rows, Scale scale, int seed, Model fp) {
        void add(String arm, double acc, Model m, double wall, int epochs, String hash, String note) {
            rows.add(new ResultRow("lts", arm, seed, scale.label(), acc, m.macs(), m.params(),
                    m.macs() / (double) fp.macs(), m.params() / (double) fp.params(), wall, epochs, hash, RunInfo.now(), note));
        }
    }
}
