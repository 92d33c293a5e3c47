package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;

/**
 * Nearest-neighbour upsampling by an integer factor, NCHW: every pixel becomes a {@code factor x factor} block.
 * Composed from a reshape and a broadcast multiply (gradient: the sum over each block; gradient-checked).
 */
public final class Upsample2d extends Module {

    private final int factor;

    public Upsample2d(int factor) {
        if (factor < 1) throw new IllegalArgumentException("upsampling factor must be >= 1, got " + factor);
        this.factor = factor;
    }

    public int factor() { return factor; }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        if (factor == 1) return x;
        Tensor in = g.inputOf(this);
        long c = in.shape()[0], h = in.height(), w = in.width();
        SDVariable ones = g.sd().constant(org.nd4j.linalg.factory.Nd4j.ones(g.dtype(), 1, 1, 1, factor, 1, factor));
        return x.reshape(-1, c, h, 1, w, 1).mul(ones).reshape(-1, c, h * factor, w * factor);
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        if (x.shape().length != 3) throw new IllegalArgumentException(path() + ": Upsample2d expects [C, H, W], got " + x);
        Tensor y = t.tensor(new long[]{x.shape()[0], x.height() * factor, x.width() * factor}, x.space(), 1);
        t.record(this, x, y, 0, 0);
        return y;
    }

    @Override
    public Module copy() { return new Upsample2d(factor); }

    @Override
    public String describe() { return "x" + factor; }
}
