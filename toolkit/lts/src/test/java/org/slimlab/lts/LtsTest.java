package org.slimlab.lts;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.data.ImageData;
import org.slimlab.data.ImageSet;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.*;
import org.slimlab.quant.QuantLayer;
import org.slimlab.quant.Quantization;
import org.slimlab.train.Optimizers;
import org.slimlab.train.Schedule;
import org.slimlab.train.Trainer;
import org.slimlab.train.TrainStep;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The LTS step's invariants on a tiny quantised network with synthetic data, checked after every iteration. */
class LtsTest {

    static ImageData tinyData() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.FLOAT, 64, 1, 8, 8);
        int[] y = new int[64];
        for (int i = 0; i < y.length; i++) y[i] = i % 3;
        for (int i = 0; i < y.length; i++) x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).addi(y[i] - 1);   // learnable
        ImageSet s = new ImageSet(x, y, 3);
        return new ImageData("tiny", s, s.head(32), null);
    }

    static Model tinyQuantised(ImageData data) {
        Init.seed(2);
        Model fp = new Model("tiny", new Sequential(new Conv2d(1, 4, 3, 1, 1, false), new BatchNorm2d(4), new ReLU(),
                Pool2d.max(2, 2), new Conv2d(4, 6, 3, 1, 1, false), new BatchNorm2d(6), new ReLU(), new GlobalAvgPool(),
                new Linear(6, 3)), 1, 8, 8);
        return Quantization.initBounds(Quantization.quantize(fp, 2), data.train().head(32).images());
    }

    static Trainer trainer(Model q, ImageData data, TrainStep step) {
        return Trainer.of(q).on(data).epochs(6).batch(16).sgd(0.05).cosine().seed(3)
                .group("bounds", Quantization.bounds(), Optimizers.adam(1e-2), Schedule.constant()).step(step, "test");
    }

    @Test
    void thresholdSchedules() {
        assertThat(FreezeSchedule.LINEAR.tau(0.1, 0.2)).isNaN();
        assertThat(FreezeSchedule.LINEAR.tau(0.2, 0.2)).isEqualTo(0.0);
        assertThat(FreezeSchedule.LINEAR.tau(0.6, 0.2)).isCloseTo(0.5, within(1e-12));
        assertThat(FreezeSchedule.SINE.tau(0.6, 0.2)).isCloseTo(Math.sin(Math.PI / 4), within(1e-12));
        assertThat(FreezeSchedule.CONSTANT.tau(0.9, 0.2)).isEqualTo(0.1);
        assertThat(FreezeSchedule.CONSTANT.tau(0.19, 0.2)).isNaN();
    }

    @Test
    void savingsFormulasOnAHandExample() {
        // two layers: 100 weights / 1000 MACs and 300 weights / 3000 MACs, 500 trainable parameters in all
        FreezeLog log = new FreezeLog(List.of("a", "b"), new long[]{100, 300}, new long[]{1000, 3000}, 500, 0.0, 2);
        log.record(new long[]{0, 0}, new long[]{50, 0});
        log.record(new long[]{50, 0}, new long[]{50, 300});
        assertThat(log.updatesEliminated()).isCloseTo((0 + 50 / 500.0) / 2, within(1e-12));
        // backward saved = sum f_l F_l / sum 2 F_l = (0.5 * 1000) / 8000 in the second iteration
        assertThat(log.backwardFlopsSaved()).isCloseTo((0 + 500.0 / 8000) / 2, within(1e-12));
        assertThat(log.finalFrozenRatio()).isCloseTo(350 / 400.0, within(1e-12));
        assertThat(log.decreases()).isZero();
        log.finish(new double[]{0, 0, 1, 2});
        assertThat(log.scratchOff(new double[]{0, 0.5, 1})).containsExactly(0.5, 0.75, 1.0);
    }

    @Test
    void frozenWeightsKeepTheirEffectiveAndLatentValuesBitForBitAndFreezingIsPermanent() {
        ImageData data = tinyData();
        Model q = tinyQuantised(data);
        List<QuantLayer> layers = Quantization.layers(q);
        Lts lts = Lts.scratcher().beta(0.5).warmup(0.25);
        INDArray probe = data.test().head(2).images();
        List<INDArray> seen = new ArrayList<>(), effAtFreeze = new ArrayList<>(), latentAtFreeze = new ArrayList<>();
        for (QuantLayer l : layers) {
            seen.add(Nd4j.zeros(DataType.FLOAT, l.weight().value().shape()));
            effAtFreeze.add(Nd4j.zeros(DataType.FLOAT, l.weight().value().shape()));
            latentAtFreeze.add(Nd4j.zeros(DataType.FLOAT, l.weight().value().shape()));
        }
        long[] mismatches = {0}, checked = {0};
        TrainStep checking = (ctx, b) -> {
            TrainStep.StepResult r = lts.step(ctx, b);
            var out = Graphs.eval(q).outputs(probe, null, layers.stream().map(QuantLayer::weightName).toArray(String[]::new));
            for (int i = 0; i < layers.size(); i++) {
                QuantLayer l = layers.get(i);
                INDArray eff = out.get(l.weightName()), w = l.weight().value(), was = seen.get(i), now = l.frozen().value();
                // previously frozen: identical effective and latent values
                mismatches[0] += (long) eff.neq(effAtFreeze.get(i)).castTo(DataType.FLOAT).muli(was).sumNumber().doubleValue();
                mismatches[0] += (long) w.neq(latentAtFreeze.get(i)).castTo(DataType.FLOAT).muli(was).sumNumber().doubleValue();
                checked[0] += (long) was.sumNumber().doubleValue();
                assertThat(now.sub(was).minNumber().doubleValue()).as("a weight unfroze").isGreaterThanOrEqualTo(0.0);
                if (ctx.progress() < 0.25) assertThat(now.sumNumber().doubleValue()).as("frozen during warm-up").isZero();
                INDArray add = now.sub(was);
                effAtFreeze.get(i).muli(add.rsub(1)).addi(eff.mul(add));
                latentAtFreeze.get(i).muli(add.rsub(1)).addi(w.mul(add));
                was.assign(now);
            }
            return r;
        };
        trainer(q, data, checking).fit();
        FreezeLog log = lts.log();
        assertThat(log.iterations()).isEqualTo(24);
        assertThat(log.finalFrozenRatio()).as("weights froze").isGreaterThan(0.3);
        assertThat(checked[0]).isGreaterThan(500);
        assertThat(mismatches[0]).as("frozen weights whose effective or latent value changed").isZero();
        assertThat(log.maxFrozenDuringWarmup()).isZero();
        assertThat(log.decreases()).isZero();
        assertThat(log.updatesEliminated()).isGreaterThan(0);
        assertThat(log.backwardFlopsSaved()).isGreaterThan(0).isLessThan(log.updatesEliminated());

        // random freezing reproduces the same per-layer counts at every iteration, and fresh runs are deterministic
        Model q2 = tinyQuantised(data);
        Lts random = Lts.randomFreezing(log, 5);
        trainer(q2, data, random).fit();
        for (int it = 0; it < log.iterations(); it++)
            for (int l = 0; l < layers.size(); l++)
                assertThat(random.log().frozenAfter(it, l)).isEqualTo(log.frozenAfter(it, l));
        Model q3 = tinyQuantised(data);
        Lts again = Lts.scratcher().beta(0.5).warmup(0.25);
        trainer(q3, data, again).fit();
        assertThat(again.log().frozenRatio()).containsExactly(log.frozenRatio());
    }

    @Test
    void baselineNeverFreezesAndRecordsTheScratchOffCurve() {
        ImageData data = tinyData();
        Model q = tinyQuantised(data);
        Lts base = Lts.baseline();
        trainer(q, data, base).fit();
        assertThat(Quantization.frozenRatio(q)).isZero();
        assertThat(base.log().updatesEliminated()).isZero();
        double[] curve = base.log().scratchOff(new double[]{0, 0.3, 0.6, 1});
        assertThat(curve[3]).isEqualTo(1.0);
        for (int i = 1; i < curve.length; i++) assertThat(curve[i]).isGreaterThanOrEqualTo(curve[i - 1]);
        assertThat(curve[0]).as("some weights changed level during QAT").isLessThan(1.0);
    }

    @Test
    void weightGradientTimingSkipsNothingWhenNothingIsFrozen() {
        Model q = tinyQuantised(tinyData());
        WeightGradientTiming.Result r = WeightGradientTiming.measure(q, 8, 3);
        assertThat(r.unfrozenFraction()).isEqualTo(1.0);
        assertThat(r.blockSaving()).isZero();     // same dense GEMM by the dispatch rule
        assertThat(r.elementSaving()).isZero();
        for (QuantLayer l : Quantization.layers(q)) l.frozen().value().assign(1);
        WeightGradientTiming.Result all = WeightGradientTiming.measure(q, 8, 3);
        assertThat(all.blockSeconds()).isZero();   // every gradient skipped
        assertThat(all.blockSaving()).isEqualTo(1.0);
    }
}
