package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.slimlab.graph.Graph;

/**
 * 2-D transposed convolution ("deconvolution"), NCHW, as in PyTorch's {@code ConvTranspose2d} without output
 * padding: {@code out_h = (in_h - 1) * stride - 2 * padding + kernel}. Weights are kept in libnd4j's deconv2d layout
 * {@code [k, k, out, in]} (gradient-checked in float64, GanOpsGradientTest). MACs follow the convention of the
 * GAN-compression papers (torchprofile, DESIGN.md): output elements * C_in * k^2, i.e.
 * {@code out_h * out_w * out * in * k * k}.
 */
public final class ConvTranspose2d extends Module {

    private final int in, out, kernel, stride, padding;
    private final Param weight, bias;

    /** A k x k transposed convolution with PyTorch-default initialisation (fan-in = out * k * k, as PyTorch computes it). */
    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, boolean bias) {
        this(in, out, kernel, stride, padding,
                Init.torchDefault((long) out * kernel * kernel, kernel, kernel, out, in),
                bias ? Init.torchDefault((long) out * kernel * kernel, out) : null);
    }

    /** A transposed convolution with the given arrays (weight {@code [k, k, out, in]}, bias {@code [out]} or null). */
    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, INDArray weight, INDArray bias) {
        if (weight.rank() != 4 || weight.size(0) != kernel || weight.size(1) != kernel || weight.size(2) != out || weight.size(3) != in)
            throw new IllegalArgumentException("ConvTranspose2d weight must be [k, k, out, in] = [" + kernel + ", " + kernel + ", "
                    + out + ", " + in + "], got " + java.util.Arrays.toString(weight.shape()));
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.weight = addParam("weight", Param.Kind.WEIGHT, weight);
        this.bias = bias == null ? null : addParam("bias", Param.Kind.BIAS, bias);
    }

    public int in() { return in; }
    public int out() { return out; }
    public int kernel() { return kernel; }
    public int stride() { return stride; }
    public int padding() { return padding; }
    public Param weight() { return weight; }
    public Param bias() { return bias; }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        DeConv2DConfig c = DeConv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).isSameMode(false).dataFormat("NCHW").build();
        SDVariable y = bias == null ? g.sd().cnn().deconv2d(x, g.var(weight), c)
                : g.sd().cnn().deconv2d(x, g.var(weight), g.var(bias), c);
        return g.maskChannels(this, y);
    }

    /** Output side length for an input side length. */
    public long outSize(long inSize) { return (inSize - 1) * stride - 2L * padding + kernel; }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        if (x.shape().length != 3 || x.shape()[0] != in)
            throw new IllegalArgumentException(path() + ": ConvTranspose2d(" + describe() + ") expects [" + in + ", H, W], got " + x);
        long h = outSize(x.height()), w = outSize(x.width());
        if (h <= 0 || w <= 0) throw new IllegalArgumentException(path() + ": input " + x + " gives an empty output");
        Tensor y = t.tensor(new long[]{out, h, w}, t.newSpace(this), 1);
        t.record(this, x, y, h * w * out * in * (long) kernel * kernel, weight.value().length() + (bias == null ? 0 : out));
        return y;
    }

    @Override
    public Module copy() {
        return new ConvTranspose2d(in, out, kernel, stride, padding, weight.value().dup(), bias == null ? null : bias.value().dup());
    }

    @Override
    public String describe() {
        return in + "->" + out + " k" + kernel + (stride != 1 ? " s" + stride : "") + (padding != 0 ? " p" + padding : "");
    }
}
