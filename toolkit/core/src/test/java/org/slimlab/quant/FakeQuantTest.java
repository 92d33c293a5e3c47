package org.slimlab.quant;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.GradientCheck;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Losses;
import org.slimlab.nn.*;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The learnable-interval fake quantiser in float64: the STE gradients w.r.t. the input (or weights) and both bounds
 * equal the finite-difference derivative of the surrogate (rounding replaced by the identity), checked at points away
 * from rounding discontinuities and clamp kinks, including clamped points (zero gradient); levels are exact; a
 * frozen weight keeps its effective value bit for bit whatever its latent value and the bounds do.
 */
class FakeQuantTest {

    static final double LO = -0.4, HI = 0.7, EPS = 1e-6, TOL = 1e-6;

    /** Normalised positions u (with u*n at least 0.1 from a rounding edge, or clamped), mapped into [LO, HI]. */
    static INDArray safePoints(int count, int bits, long seed) {
        Random r = new Random(seed);
        int n = FakeQuant.steps(bits);
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            double u;
            if (i % 7 == 3) u = -0.3 - r.nextDouble() * 0.5;          // clamped low
            else if (i % 7 == 5) u = 1.2 + r.nextDouble() * 0.5;      // clamped high
            else {
                int k = r.nextInt(n + 1);
                double off = 0.1 + 0.3 * r.nextDouble();              // |u n - k - 0.5| >= 0.1, |u n - k| >= 0.1
                u = (k + (r.nextBoolean() ? off : -off)) / n;
                u = Math.min(0.97, Math.max(0.03, u));                 // away from the clamp kinks at 0 and 1
            }
            v[i] = LO + u * (HI - LO);
        }
        return Nd4j.createFromArray(v).reshape(3, count / 3);
    }

    /** loss = sum(c * Q(x; lo, hi)) with Q built by {@code q}; returns the graph. */
    static SameDiff graph(INDArray x, INDArray c, BiFunction<SameDiff, SDVariable[], SDVariable> q) {
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.var("x", x.dup()), lo = sd.var("lo", Nd4j.scalar(LO).reshape(1, 1)), hi = sd.var("hi", Nd4j.scalar(HI).reshape(1, 1));
        SDVariable y = q.apply(sd, new SDVariable[]{xv, lo, hi});
        sd.setLossVariables(y.mul(sd.constant("c", c)).sum().rename("loss"));
        return sd;
    }

    static double loss(SameDiff sd) { return sd.output((Map<String, INDArray>) null, "loss").get("loss").getDouble(0); }

    /** STE analytic gradients of {@code ste} vs central differences of {@code surrogate}, every element of x, lo, hi. */
    static void assertSteMatchesSurrogate(int bits, BiFunction<SameDiff, SDVariable[], SDVariable> ste,
                                          BiFunction<SameDiff, SDVariable[], SDVariable> surrogate) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            INDArray x = safePoints(42, bits, 5), c = Nd4j.rand(DataType.DOUBLE, x.shape()).subi(0.5);
            SameDiff a = graph(x, c, ste), s = graph(x, c, surrogate);
            Map<String, INDArray> grads = a.calculateGradients(null, "x", "lo", "hi");
            double maxAbs = 0, clampedMax = 0;
            for (String v : List.of("x", "lo", "hi")) {
                INDArray arr = s.getVariable(v).getArr(), g = grads.get(v);
                for (long i = 0; i < arr.length(); i++) {
                    double o = arr.getDouble(i);
                    arr.putScalar(i, o + EPS);
                    double plus = loss(s);
                    arr.putScalar(i, o - EPS);
                    double minus = loss(s);
                    arr.putScalar(i, o);
                    double fd = (plus - minus) / (2 * EPS), an = g.getDouble(i);
                    assertThat(Math.abs(fd - an)).as("d loss / d %s[%d] (%d bits): STE %s vs surrogate FD %s", v, i, bits, an, fd)
                            .isLessThan(TOL * Math.max(1, Math.abs(fd)));
                    maxAbs = Math.max(maxAbs, Math.abs(an));
                    if (v.equals("x") && (i % 14 == 3 || i % 14 == 5)) clampedMax = Math.max(clampedMax, Math.abs(an));
                }
            }
            assertThat(maxAbs).as("the gradients are not all zero").isGreaterThan(1e-3);
            // and the forward really rounds: the STE graph's loss differs from the surrogate's
            assertThat(Math.abs(loss(a) - loss(s))).isGreaterThan(1e-6);
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    @Test
    void activationQuantiserSteGradientsWrtInputAndBoundsMatchTheSurrogate() {
        for (int bits : new int[]{2, 3})
            assertSteMatchesSurrogate(bits,
                    (sd, v) -> FakeQuant.activations(sd, v[0], v[1], v[2], bits, FakeQuant.Rounding.STE),
                    (sd, v) -> FakeQuant.activations(sd, v[0], v[1], v[2], bits, FakeQuant.Rounding.NONE));
    }

    @Test
    void weightQuantiserSteGradientsWrtWeightsAndBoundsMatchTheSurrogate() {
        for (int bits : new int[]{2, 4})
            assertSteMatchesSurrogate(bits,
                    (sd, v) -> FakeQuant.weights(sd, v[0], v[1], v[2], bits, null, null, FakeQuant.Rounding.STE),
                    (sd, v) -> FakeQuant.weights(sd, v[0], v[1], v[2], bits, null, null, FakeQuant.Rounding.NONE));
    }

    @Test
    void frozenWeightsGetNoGradientAndKeepTheirStoredLevel() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            INDArray x = safePoints(42, 2, 9);
            INDArray mask = Nd4j.rand(DataType.DOUBLE, x.shape()).gt(0.5).castTo(DataType.DOUBLE);
            INDArray stored = Nd4j.rand(DataType.DOUBLE, x.shape()).muli(3.999).castTo(DataType.INT32).castTo(DataType.DOUBLE);
            SameDiff sd = graph(x, Nd4j.ones(DataType.DOUBLE, x.shape()), (s, v) -> s.identity("wq", FakeQuant.weights(s, v[0], v[1], v[2], 2,
                    s.constant("m", mask), s.constant("lv", stored), FakeQuant.Rounding.STE)));
            INDArray wq = sd.output((Map<String, INDArray>) null, "wq").get("wq").dup();
            INDArray g = sd.calculateGradients(null, "x").get("x");
            INDArray expected = FakeQuant.weightsOfLevels(stored, 2);
            for (long i = 0; i < x.length(); i++) {
                if (mask.getDouble(i) == 1) {
                    assertThat(g.getDouble(i)).as("gradient of frozen weight %d", i).isEqualTo(0.0);
                    assertThat(Double.doubleToLongBits(wq.getDouble(i))).as("frozen weight %d", i)
                            .isEqualTo(Double.doubleToLongBits(expected.getDouble(i)));
                }
            }
            // moving the latent weights and the bounds changes nothing for frozen weights, bit for bit
            sd.getVariable("x").getArr().addi(Nd4j.rand(DataType.DOUBLE, x.shape()).subi(0.5));
            sd.getVariable("lo").getArr().subi(0.13);
            sd.getVariable("hi").getArr().addi(0.21);
            INDArray wq2 = sd.output((Map<String, INDArray>) null, "wq").get("wq");
            long moved = 0;
            for (long i = 0; i < x.length(); i++) {
                if (mask.getDouble(i) == 1)
                    assertThat(Double.doubleToLongBits(wq2.getDouble(i))).isEqualTo(Double.doubleToLongBits(wq.getDouble(i)));
                else if (wq2.getDouble(i) != wq.getDouble(i)) moved++;
            }
            assertThat(moved).as("unfrozen weights do move").isGreaterThan(0);
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    @Test
    void levelsAreExactAndEffectiveWeightsAreTheFourW2Values() {
        INDArray w = Nd4j.rand(DataType.FLOAT, 500).subi(0.5).muli(3);
        INDArray lv = FakeQuant.levels(FakeQuant.normalised(w, -1, 1), 2);
        INDArray wq = FakeQuant.weightsOfLevels(lv, 2);
        for (long i = 0; i < w.length(); i++) {
            double l = lv.getDouble(i);
            assertThat(l).isIn(0.0, 1.0, 2.0, 3.0);
            assertThat(wq.getDouble(i)).isCloseTo(2 * (l / 3 - 0.5), org.assertj.core.data.Offset.offset(1e-6));
        }
        // the graph's STE forward gives exactly the same levels as the array arithmetic
        SameDiff sd = SameDiff.create();
        SDVariable lvl = FakeQuant.weightLevels(sd, sd.var("w", w), sd.constant(Nd4j.scalar(-1f).reshape(1)), sd.constant(Nd4j.scalar(1f).reshape(1)),
                2, null, null, FakeQuant.Rounding.STE);
        assertThat(sd.output((Map<String, INDArray>) null, lvl.name()).get(lvl.name())).isEqualTo(lv);
    }

    static Model tinyQuantised(int bits) {
        Init.seed(3);
        Model fp = new Model("t", new Sequential(new Conv2d(2, 3, 3, 1, 1, false), new BatchNorm2d(3), new ReLU(),
                Pool2d.max(2, 2), new Conv2d(3, 4, 3, 1, 1, true), new BatchNorm2d(4), new ReLU(), new GlobalAvgPool(),
                new Linear(4, 3)), 2, 6, 6);
        return Quantization.quantize(fp, bits);
    }

    @Test
    void quantisedNetworkSurrogatePassesTheFloat64GradientCheckIncludingBounds() {
        Model q = tinyQuantised(2).cast(DataType.DOUBLE);
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 2, 6, 6);
        Quantization.initBounds(q, x);
        // lA = min(x) puts the smallest input (and every ReLU zero) exactly on the clamp kink, where the function has
        // no derivative: move the lower activation bounds a little below it for the check
        for (QuantLayer l : Quantization.layers(q)) {
            double lo = l.activationLow().value().getDouble(0), hi = l.activationHigh().value().getDouble(0);
            l.activationLow().value().assign(lo - 0.05 * (hi - lo));
        }
        Model s = Quantization.surrogate(q);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        for (int i = 0; i < 4; i++) y.putScalar(i, i % 3, 1);
        Compiled g = Graphs.train(s, Losses.crossEntropy());
        List<GradientCheck.Report> r = GradientCheck.check(g, x, y, s.trainableParameters(), 5, 1e-6, 2);
        assertThat(r.stream().filter(rep -> rep.variable().endsWith("_lo") || rep.variable().endsWith("_hi")).count()).isEqualTo(12);
        for (GradientCheck.Report rep : r)
            assertThat(rep.maxRelError()).as("relative gradient error of %s", rep.variable()).isLessThan(1e-5);
    }

    @Test
    void quantizeSwapsEveryConvAndLinearKeepsCountsAndInitialisesBoundsFromOneBatch() {
        Model q = tinyQuantised(2);
        assertThat(Quantization.layers(q)).hasSize(3);
        assertThat(q.macs()).isEqualTo(Quantization.dequantize(q).macs());
        assertThat(q.params()).isEqualTo(Quantization.dequantize(q).params() + 3 * 4);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 8, 2, 6, 6);
        Quantization.initBounds(q, x);
        QuantLayer first = Quantization.layers(q).get(0), last = Quantization.layers(q).get(2);
        double std = first.weight().value().stdNumber().doubleValue();
        assertThat(first.weightHigh().value().getDouble(0)).isCloseTo(3 * std, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(first.weightLow().value().getDouble(0)).isCloseTo(-3 * std, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(first.activationLow().value().getDouble(0)).isCloseTo(x.minNumber().doubleValue(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(first.activationHigh().value().getDouble(0))
                .isCloseTo(3 * x.stdNumber().doubleValue() / Math.sqrt(1 - 2 / Math.PI), org.assertj.core.data.Offset.offset(1e-5));
        // the last layer's input is a global average of ReLU outputs: non-negative
        assertThat(last.activationLow().value().getDouble(0)).isGreaterThanOrEqualTo(0.0);
        assertThat(last.activationHigh().value().getDouble(0)).isGreaterThan(last.activationLow().value().getDouble(0));
        // effective weights take the 4 W2 values only
        INDArray wq = Graphs.eval(q).outputs(x, null, first.weightName()).get(first.weightName());
        for (long i = 0; i < wq.length(); i++)
            assertThat(Math.abs(Math.abs(wq.getDouble(i)) - 1.0 / 3) < 1e-6 || Math.abs(Math.abs(wq.getDouble(i)) - 1) < 1e-6).isTrue();
    }
}
