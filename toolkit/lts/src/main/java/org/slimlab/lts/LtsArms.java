package org.slimlab.lts;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.ImageData;
import org.slimlab.nn.Model;
import org.slimlab.quant.Quantization;
import org.slimlab.repro.RunMemo;
import org.slimlab.repro.Scale;
import org.slimlab.results.ResultRow;
import org.slimlab.results.RunInfo;
import org.slimlab.train.Run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arms of one seed of the LTS reproduction, each kept as its own {@link RunMemo} piece so that a stopped
 * {@code full} run (8 QAT arms of ~9 min per seed on 2 cores) resumes at the arm where it stopped, not at the seed.
 *
 * <p>Every QAT arm starts from the seed's full-precision weights. When the pre-training's piece was kept but an arm
 * still has to train (a resumed run), the pre-training is trained again with the same seed, which gives the same
 * weights (the reproduction test checks that a control trained this way matches one trained in the first run); a
 * different test accuracy than the kept one is reported. The random-freezing control follows its LTS arm's kept
 * per-iteration frozen counts, so it too can train without its reference.
 */
final class LtsArms {

    /**
     * One arm's kept piece: its table row and config, its bit-operations, the numbers the claims use, its curves
     * (frozen ratio, scratch-off) and, for an LTS arm, the frozen counts its random control matches.
     */
    record Arm(ResultRow row, String configJson, double bitOps, Map<String, Double> numbers,
               Map<String, double[]> curves, FreezeLog.Counts reference) {
        double number(String name) { return numbers.getOrDefault(name, Double.NaN); }
    }

    private final ImageData data;
    private final LtsReproduction.Budget budget;
    private final Scale scale;
    private final int seed;
    private final RunMemo memo;
    private final String budgetKey;
    private final long fpMacs, fpParams;
    private Model fp;
    private Double keptFpAccuracy;

    LtsArms(ImageData data, LtsReproduction.Budget budget, Scale scale, int seed, RunMemo memo) {
        this.data = data;
        this.budget = budget;
        this.scale = scale;
        this.seed = seed;
        this.memo = memo;
        this.budgetKey = LtsReproduction.budgetKey(budget);
        Model shape = LtsReproduction.network(seed);
        this.fpMacs = shape.macs();
        this.fpParams = shape.params();
    }

    /** Full-precision pre-training. */
    Arm fp() {
        Arm a = kept("fp32", () -> {
            Run r = trainFp();
            return new Arm(row("fp32", r, fp, b().fpEpochs(), "full precision (pre-training)"), r.configJson(),
                    Quantization.bitOps(fp), Map.of(), Map.of(), null);
        });
        keptFpAccuracy = a.row().accuracy();
        return a;
    }

    /** The QAT baseline at {@code bits}: same quantiser, no freezing; its scratch-off curve. */
    Arm qat(int bits) {
        return kept("qat" + tag(bits), () -> {
            Lts base = Lts.baseline();
            Model q = quantized(bits);
            Run r = LtsReproduction.qatTrainer(q, data, b(), seed, "qat" + tag(bits)).step(base, base.describe()).fit();
            FreezeLog log = base.log();
            double settled = log.settledBy(0.3);
            return new Arm(row("qat" + tag(bits), r, q, b().qatEpochs(), String.format("settled by 30%% of QAT: %.3f", settled)),
                    r.configJson(), Quantization.bitOps(q), Map.of("settled", settled),
                    Map.of("scratchOff", log.scratchOff(LtsReproduction.SCRATCH_OFF_FRACTIONS)), null);
        });
    }

    /**
     * LTS at {@code bits} with the linear threshold, its frozen values checked and its weight-gradient times measured
     * with its masks at every epoch end.
     */
    Arm lts(int bits) {
        return kept("lts" + tag(bits), () -> {
            Lts lts = Lts.scratcher().beta(b().beta());
            Model q = quantized(bits);
            FrozenValueCheck check = new FrozenValueCheck();
            List<WeightGradientTiming.Result> timings = new ArrayList<>();
            Run r = LtsReproduction.qatTrainer(q, data, b(), seed, "lts" + tag(bits)).step(lts, lts.describe())
                    .onEpoch(e -> {
                        check.snapshot(q);
                        timings.add(WeightGradientTiming.measure(q, LtsReproduction.TIMING_BATCH, b().timingRepeats()));
                    }).fit();
            FreezeLog log = lts.log();
            double blk = timings.stream().mapToDouble(WeightGradientTiming.Result::blockSaving).average().orElse(0);
            double ele = timings.stream().mapToDouble(WeightGradientTiming.Result::elementSaving).average().orElse(0);
            Map<String, Double> n = new LinkedHashMap<>();
            n.put("updatesEliminated", log.updatesEliminated());
            n.put("backwardFlopsSaved", log.backwardFlopsSaved());
            n.put("blockSaving", blk);
            n.put("elementSaving", ele);
            n.put("maxFrozenDuringWarmup", log.maxFrozenDuringWarmup());
            n.put("decreases", (double) log.decreases());
            n.put("compared", (double) check.compared());
            n.put("changed", (double) check.changed());
            String note = String.format("updates eliminated %.3f, backward FLOPs saved %.3f, frozen at end %.3f; measured "
                            + "weight-gradient time saved: block skip %.3f, element skip %.3f", log.updatesEliminated(),
                    log.backwardFlopsSaved(), log.finalFrozenRatio(), blk, ele);
            return new Arm(row("lts" + tag(bits), r, q, b().qatEpochs(), note), r.configJson(), Quantization.bitOps(q), n,
                    curves(log), log.counts());
        });
    }

    /** Random freezing at the per-layer, per-iteration rate of {@code lts} (an arm from {@link #lts(int)}). */
    Arm random(int bits, Arm lts) {
        return kept("random-freeze" + tag(bits), () -> {
            Lts random = Lts.randomFreezing(FreezeLog.replay(lts.reference()), seed);
            Model q = quantized(bits);
            Run r = LtsReproduction.qatTrainer(q, data, b(), seed, "random" + tag(bits)).step(random, random.describe()).fit();
            FreezeLog log = random.log();
            return new Arm(row("random-freeze" + tag(bits), r, q, b().qatEpochs(),
                    String.format("updates eliminated %.3f", log.updatesEliminated())), r.configJson(), Quantization.bitOps(q),
                    Map.of("updatesEliminated", log.updatesEliminated(), "decreases", (double) log.decreases()), curves(log), null);
        });
    }

    /** LTS with another threshold schedule at {@code bits}. */
    Arm schedule(FreezeSchedule sc, int bits) {
        String arm = "lts-" + sc.label() + tag(bits);
        return kept(arm, () -> {
            Lts other = Lts.scratcher().beta(b().beta()).schedule(sc);
            Model q = quantized(bits);
            Run r = LtsReproduction.qatTrainer(q, data, b(), seed, arm).step(other, other.describe()).fit();
            FreezeLog log = other.log();
            return new Arm(row(arm, r, q, b().qatEpochs(), String.format("updates eliminated %.3f, backward FLOPs saved %.3f",
                    log.updatesEliminated(), log.backwardFlopsSaved())), r.configJson(), Quantization.bitOps(q),
                    Map.of("updatesEliminated", log.updatesEliminated(), "backwardFlopsSaved", log.backwardFlopsSaved()),
                    curves(log), null);
        });
    }

    static String tag(int bits) { return "-w" + bits + "a" + bits; }

    private Arm kept(String arm, java.util.function.Supplier<Arm> compute) {
        return memo.get(RunMemo.key("lts", scale.label(), arm, "seed" + seed, budgetKey), Arm.class, compute);
    }

    private LtsReproduction.Budget b() { return budget; }

    /** The seed's full-precision model, trained on first use. */
    private Model fpModel() {
        if (fp == null) {
            Run r = trainFp();
            if (keptFpAccuracy != null && keptFpAccuracy != r.testAccuracy())
                System.err.printf("lts seed %d: full-precision pre-training retrained for a resumed arm reached %.4f, the kept "
                        + "piece %.4f: this seed's arms start from different weights%n", seed, r.testAccuracy(), keptFpAccuracy);
        }
        return fp;
    }

    private Run trainFp() {
        if (fp != null) throw new IllegalStateException("pre-training already ran for seed " + seed);
        Model m = LtsReproduction.network(seed);
        Run r = LtsReproduction.trainer(m, data, b().fpEpochs(), LtsReproduction.FP_LR, seed, "fp pre-training").fit();
        fp = m;
        return r;
    }

    /** A W{bits}A{bits} copy of the full-precision model with bounds initialised from the first 128 training images. */
    private Model quantized(int bits) {
        INDArray initBatch = data.train().head(Math.min(128, b().train())).images();
        return Quantization.initBounds(Quantization.quantize(fpModel(), bits), initBatch);
    }

    private static Map<String, double[]> curves(FreezeLog log) {
        double[][] xy = log.frozenCurve();
        return Map.of("frozenX", xy[0], "frozenY", xy[1]);
    }

    private ResultRow row(String arm, Run r, Model m, int epochs, String note) {
        return new ResultRow("lts", arm, seed, scale.label(), r.testAccuracy(), m.macs(), m.params(), m.macs() / (double) fpMacs,
                m.params() / (double) fpParams, r.seconds(), epochs, r.configHash(), RunInfo.now(), note);
    }
}
