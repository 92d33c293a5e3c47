package org.slimlab.quant;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Graph;
import org.slimlab.nn.Conv2d;
import org.slimlab.nn.Module;
import org.slimlab.nn.Param;
import org.slimlab.nn.Tensor;
import org.slimlab.nn.Trace;

/**
 * A {@link Conv2d} with fake-quantised weights and input activations ({@link QuantLayer}); same configuration,
 * YXIO weights and MACs as the conv it was made from. Made by {@link Quantization#quantize}.
 */
public final class QuantConv2d extends Module implements QuantLayer {

    private final int in, out, kernel, stride, padding, bits;
    private final FakeQuant.Rounding rounding;
    private final Param weight, bias, wLo, wHi, aLo, aHi, frozen, frozenLevel;

    /** Quantises {@code conv} at {@code bits} bits, sharing its arrays; bounds start at [-1, 1] / [0, 1] until initialised. */
    public QuantConv2d(Conv2d conv, int bits) {
        this(conv.in(), conv.out(), conv.kernel(), conv.stride(), conv.padding(), bits, FakeQuant.Rounding.STE,
                conv.weight().value(), conv.bias() == null ? null : conv.bias().value(),
                new INDArray[]{scalar(conv, -1), scalar(conv, 1), scalar(conv, 0), scalar(conv, 1)},
                Nd4j.zeros(conv.weight().value().dataType(), conv.weight().value().shape()),
                Nd4j.zeros(conv.weight().value().dataType(), conv.weight().value().shape()));
    }

    private QuantConv2d(int in, int out, int kernel, int stride, int padding, int bits, FakeQuant.Rounding rounding,
                        INDArray w, INDArray b, INDArray[] bounds, INDArray frozenMask, INDArray levels) {
        FakeQuant.steps(bits);
        this.in = in; this.out = out; this.kernel = kernel; this.stride = stride; this.padding = padding;
        this.bits = bits;
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

    static INDArray scalar(Conv2d c, double v) { return Nd4j.valueArrayOf(new long[]{1}, v, c.weight().value().dataType()); }

    /** A copy (arrays duplicated) that rounds with {@code r} (NONE: the surrogate for gradient checks). */
    public QuantConv2d withRounding(FakeQuant.Rounding r) {
        return new QuantConv2d(in, out, kernel, stride, padding, bits, r, weight.value().dup(),
                bias == null ? null : bias.value().dup(),
                new INDArray[]{wLo.value().dup(), wHi.value().dup(), aLo.value().dup(), aHi.value().dup()},
                frozen.value().dup(), frozenLevel.value().dup());
    }

    /** The full-precision conv with this layer's latent weights (copied). */
    public Conv2d toConv() {
        return new Conv2d(in, out, kernel, stride, padding, weight.value().dup(), bias == null ? null : bias.value().dup());
    }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        SameDiff sd = g.sd();
        SDVariable xin = sd.identity(inputName(), x);
        SDVariable xq = FakeQuant.activations(sd, xin, g.var(aLo).reshape(1, 1, 1, 1), g.var(aHi).reshape(1, 1, 1, 1), bits, rounding);
        SDVariable wq = sd.identity(weightName(), FakeQuant.weights(sd, g.var(weight), g.var(wLo).reshape(1, 1, 1, 1),
                g.var(wHi).reshape(1, 1, 1, 1), bits, g.buffer(frozen), g.buffer(frozenLevel), rounding));
        Conv2DConfig c = Conv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        SDVariable y = bias == null ? sd.cnn().conv2d(xq, wq, c) : sd.cnn().conv2d(xq, wq, g.var(bias), c);
        return g.maskChannels(this, y);
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        if (x.shape().length != 3 || x.shape()[0] != in)
            throw new IllegalArgumentException(path() + ": QuantConv2d(" + describe() + ") expects [" + in + ", H, W], got " + x);
        long h = (x.height() + 2L * padding - kernel) / stride + 1, w = (x.width() + 2L * padding - kernel) / stride + 1;
        if (h <= 0 || w <= 0) throw new IllegalArgumentException(path() + ": input " + x + " too small for kernel " + kernel);
        Tensor y = t.tensor(new long[]{out, h, w}, t.newSpace(this), 1);
        t.record(this, x, y, h * w * out * in * (long) kernel * kernel, weight.value().length() + (bias == null ? 0 : out) + 4);
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
    public int kernel() { return kernel; }
    public FakeQuant.Rounding rounding() { return rounding; }

    @Override
    public String describe() {
        return in + "->" + out + " k" + kernel + (stride != 1 ? " s" + stride : "") + (padding != 0 ? " p" + padding : "")
                + " W" + bits + "A" + bits + (rounding == FakeQuant.Rounding.NONE ? " (no rounding)" : "");
    }
}
