package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;

/**
 * Nearest-neighbour upsampling by an integer factor, NCHW: every pixel becomes a {@code factor x factor} block.
 * Composed from a reshape and a broadcast multiply (gradient: the sum over each block; gradient-checked).
 */
public final class Upsample2d extends Module {

    private volatile long[] lastInput;
    private final int factor;

    public Upsample2d(int factor) {
        if (factor < 1) throw new IllegalArgumentException("upsampling factor must be >= 1, got " + factor);
        this.factor = factor;
    }

    public int factor() { return factor; }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        if (factor == 1) return x;
        long[] in = traced(g);
        long c = in[0], h = in[1], w = in[2];
        SDVariable ones = g.sd().constant(org.nd4j.linalg.factory.Nd4j.ones(g.dtype(), 1, 1, 1, factor, 1, factor));
        return x.reshape(-1, c, h, 1, w, 1).mul(ones).reshape(-1, c, h * factor, w * factor);
    }

    /** The traced input shape {@code [C, H, W]}: from the graph's trace, or the last trace of this module when it is
     *  emitted into another model's graph (e.g. a distillation connector inside a student's training graph). */
    private long[] traced(Graph g) {
        try {
            return g.inputOf(this).shape();
        } catch (IllegalStateException notInThisTrace) {
            long[] s = lastInput;
            if (s == null) throw new IllegalStateException(this + " was never traced: wrap it in a Model first");
            return s;
        }
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        lastInput = x.shape().clone();
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
