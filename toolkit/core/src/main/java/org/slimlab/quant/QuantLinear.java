package org.slimlab.quant;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Graph;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Module;
import org.slimlab.nn.Param;
import org.slimlab.nn.Tensor;
import org.slimlab.nn.Trace;

/**
 * A {@link Linear} with fake-quantised weights and input activations ({@link QuantLayer}); weights {@code [in, out]},
 * MACs {@code in * out} as the linear layer it was made from. Made by {@link Quantization#quantize}.
 */
public final class QuantLinear extends Module implements QuantLayer {

    private final int in, out, bits;
    private final FakeQuant.Rounding rounding;
    private final Param weight, bias, wLo, wHi, aLo, aHi, frozen, frozenLevel;

    /** Quantises {@code linear} at {@code bits} bits, sharing its arrays; bounds start at [-1, 1] / [0, 1] until initialised. */
    public QuantLinear(Linear linear, int bits) {
        this(linear.in(), linear.out(), bits, FakeQuant.Rounding.STE, linear.weight().value(),
                linear.bias() == null ? null : linear.bias().value(),
                new INDArray[]{scalar(linear, -1), scalar(linear, 1), scalar(linear, 0), scalar(linear, 1)},
                Nd4j.zeros(linear.weight().value().dataType(), linear.weight().value().shape()),
                Nd4j.zeros(linear.weight().value().dataType(), linear.weight().value().shape()));
    }

    private QuantLinear(int in, int out, int bits, FakeQuant.Rounding rounding, INDArray w, INDArray b,
                        INDArray[] bounds, INDArray frozenMask, INDArray levels) {
        FakeQuant.steps(bits);
        this.in = in; this.out = out; this.bits = bits;
        this.rounding = rounding;
        this.weight = addParam("weight", Param.Kind.WEIGHT, w);
        this.bias = b == null ? null : addParam("bias", Param.Kind.BIAS, b);
        this.wLo = addParam(W_LO, Param.Kind.OTHER, bounds[0]);
        this.wHi = addParam(W_HI, Param.Kind.OTHER, bounds[1]);
        this.aLo = addParam(A_LO, Param.Kind.OTHER, bounds[2]);
        this.aHi = addParam(A_HI, Param.Kind.OTHER, bounds[3]);
        this.frozen = addParam(FROZEN, Param.Kind.BUFFER, frozenMask);
        this.frozenLevel = addParam(FROZEN_LEVEL, Param.Kind.BUFFER, levels);
    }

    static INDArray scalar(Linear l, double v) { return Nd4j.valueArrayOf(new long[]{1}, v, l.weight().value().dataType()); }

    /** A copy (arrays duplicated) that rounds with {@code r} (NONE: the surrogate for gradient checks). */
    public QuantLinear withRounding(FakeQuant.Rounding r) {
        return new QuantLinear(in, out, bits, r, weight.value().dup(), bias == null ? null : bias.value().dup(),
                new INDArray[]{wLo.value().dup(), wHi.value().dup(), aLo.value().dup(), aHi.value().dup()},
                frozen.value().dup(), frozenLevel.value().dup());
    }

    /** The full-precision linear layer with this layer's latent weights (copied). */
    public Linear toLinear() {
        return new Linear(in, out, weight.value().dup(), bias == null ? null : bias.value().dup());
    }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        SameDiff sd = g.sd();
        SDVariable xin = sd.identity(inputName(), x);
        SDVariable xq = FakeQuant.activations(sd, xin, g.var(aLo).reshape(1, 1), g.var(aHi).reshape(1, 1), bits, rounding);
        SDVariable wq = sd.identity(weightName(), FakeQuant.weights(sd, g.var(weight), g.var(wLo).reshape(1, 1),
                g.var(wHi).reshape(1, 1), bits, g.buffer(frozen), g.buffer(frozenLevel), rounding));
        SDVariable y = xq.mmul(wq);
        if (bias != null) y = y.add(g.var(bias));
        return g.maskChannels(this, y);
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        if (x.shape().length != 1 || x.shape()[0] != in)
            throw new IllegalArgumentException(path() + ": QuantLinear(" + describe() + ") expects [" + in + "], got " + x);
        Tensor y = t.tensor(new long[]{out}, t.newSpace(this), 1);
        t.record(this, x, y, (long) in * out, (long) in * out + (bias == null ? 0 : out) + 4);
        return y;
    }

    @Override
    public Module copy() { return withRounding(rounding); }

    @Override public Module module() { return this; }
    @Override public int bits() { return bits; }
    @Override public Param weight() { return weight; }
    @Override public Param bias() { return bias; }
    @Override public Param weightLow() { return wLo; }
    @Override public Param weightHigh() { return wHi; }
    @Override public Param activationLow() { return aLo; }
    @Override public Param activationHigh() { return aHi; }
    @Override public Param frozen() { return frozen; }
    @Override public Param frozenLevel() { return frozenLevel; }
    public int in() { return in; }
    public int out() { return out; }
    public FakeQuant.Rounding rounding() { return rounding; }

    @Override
    public String describe() {
        return in + "->" + out + " W" + bits + "A" + bits + (rounding == FakeQuant.Rounding.NONE ? " (no rounding)" : "");
    }
}
