package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.slimlab.graph.Graph;

/** Max or average pooling with a square window (not counted in MACs, by convention). */
public final class Pool2d extends Module {

    /** Which reduction the window applies. */
    public enum Kind { MAX, AVG }

    private final Kind kind;
    private final int kernel, stride, padding;

    public Pool2d(Kind kind, int kernel, int stride, int padding) {
        this.kind = kind;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    public static Pool2d max(int kernel, int stride) { return new Pool2d(Kind.MAX, kernel, stride, 0); }

    public static Pool2d avg(int kernel, int stride) { return new Pool2d(Kind.AVG, kernel, stride, 0); }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        Pooling2DConfig c = Pooling2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).isNHWC(false).build();
        return kind == Kind.MAX ? g.sd().cnn().maxPooling2d(x, c) : g.sd().cnn().avgPooling2d(x, c);
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        long h = (x.height() + 2L * padding - kernel) / stride + 1, w = (x.width() + 2L * padding - kernel) / stride + 1;
        Tensor y = t.tensor(new long[]{x.shape()[0], h, w}, x.space(), 1);
        t.record(this, x, y, 0, 0);
        return y;
    }

    @Override
    public Module copy() { return new Pool2d(kind, kernel, stride, padding); }

    @Override
    public String type() { return kind == Kind.MAX ? "MaxPool2d" : "AvgPool2d"; }

    @Override
    public String describe() { return "k" + kernel + " s" + stride + (padding != 0 ? " p" + padding : ""); }
}
