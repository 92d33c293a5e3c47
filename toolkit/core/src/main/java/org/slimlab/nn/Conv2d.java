package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.slimlab.graph.Graph;

/**
 * 2-D convolution, NCHW. Weights are kept in SameDiff's YXIO layout {@code [k, k, in, out]}: the OIYX layout's
 * backward pass is broken in DL4J M2.1 (DL4J-NOTES.md §4), YXIO's passes the gradient check.
 * MACs = out_h * out_w * out * in * k * k.
 */
public final class Conv2d extends Module {

    private final int in, out, kernel, stride, padding;
    private final Param weight, bias;

    /** A k x k convolution with PyTorch-default initialisation; {@code bias} false before BatchNorm. */
    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias) {
        this(in, out, kernel, stride, padding,
                Init.torchDefault((long) in * kernel * kernel, kernel, kernel, in, out),
                bias ? Init.torchDefault((long) in * kernel * kernel, out) : null);
    }

    /** A convolution with the given arrays (weight YXIO {@code [k,k,in,out]}, bias {@code [out]} or null). */
    public Conv2d(int in, int out, int kernel, int stride, int padding, INDArray weight, INDArray bias) {
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
    public SDVariable forward(org.slimlab.graph.Graph g, SDVariable x) {
        Conv2DConfig c = Conv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        SDVariable y = bias == null ? g.sd().cnn().conv2d(x, g.var(weight), c)
                : g.sd().cnn().conv2d(x, g.var(weight), g.var(bias), c);
        return g.maskChannels(this, y);
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        if (x.shape().length != 3 || x.shape()[0] != in)
            throw new IllegalArgumentException(path() + ": Conv2d(" + describe() + ") expects [" + in + ", H, W], got " + x);
        long h = (x.height() + 2L * padding - kernel) / stride + 1, w = (x.width() + 2L * padding - kernel) / stride + 1;
        if (h <= 0 || w <= 0) throw new IllegalArgumentException(path() + ": input " + x + " too small for kernel " + kernel);
        Tensor y = t.tensor(new long[]{out, h, w}, t.newSpace(this), 1);
        t.record(this, x, y, h * w * out * in * (long) kernel * kernel, weight.value().length() + (bias == null ? 0 : out));
        return y;
    }

    /** A copy keeping only the given input and output channels (null = all). */
    public Conv2d slice(int[] keepIn, int[] keepOut) {
        INDArray w = Slicing.take(Slicing.take(weight.value(), 2, keepIn), 3, keepOut);
        INDArray b = bias == null ? null : Slicing.take(bias.value(), 0, keepOut);
        return new Conv2d(keepIn == null ? in : keepIn.length, keepOut == null ? out : keepOut.length,
                kernel, stride, padding, w, b);
    }

    @Override
    public Module copy() { return slice(null, null); }

    @Override
    public String describe() {
        return in + "->" + out + " k" + kernel + (stride != 1 ? " s" + stride : "") + (padding != 0 ? " p" + padding : "");
    }
}
