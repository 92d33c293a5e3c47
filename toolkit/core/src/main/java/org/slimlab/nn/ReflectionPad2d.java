package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;

/**
 * Reflection padding of {@code p} pixels on every side of an NCHW map (PyTorch's {@code ReflectionPad2d}: the
 * border pixel is not repeated). Composed from slices and concatenations, so its gradient is the sum of the
 * reflected positions (gradient-checked in float64).
 */
public final class ReflectionPad2d extends Module {

    private volatile long[] lastInput;
    private final int pad;

    public ReflectionPad2d(int pad) {
        if (pad < 1) throw new IllegalArgumentException("reflection padding must be >= 1, got " + pad);
        this.pad = pad;
    }

    public int pad() { return pad; }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        long[] in = traced(g);
        return reflect(g, reflect(g, x, 3, in[2]), 2, in[1]);
    }

    /** {@code x} padded along {@code axis} (2 = rows, 3 = columns) of length {@code n}. */
    private SDVariable reflect(Graph g, SDVariable x, int axis, long n) {
        SDVariable[] parts = new SDVariable[2 * pad + 1];
        for (int i = 0; i < pad; i++) {
            parts[i] = slice(x, axis, pad - i);                 // x[p], x[p-1], ..., x[1]
            parts[pad + 1 + i] = slice(x, axis, n - 2 - i);     // x[n-2], ..., x[n-1-p]
        }
        parts[pad] = x;
        return g.sd().concat(axis, parts);
    }

    private static SDVariable slice(SDVariable x, int axis, long i) {
        SDIndex[] idx = {SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.all()};
        idx[axis] = SDIndex.interval(i, i + 1);
        return x.get(idx);
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
        if (x.shape().length != 3) throw new IllegalArgumentException(path() + ": ReflectionPad2d expects [C, H, W], got " + x);
        if (x.height() <= pad || x.width() <= pad)
            throw new IllegalArgumentException(path() + ": reflection padding " + pad + " needs a side longer than " + pad + ", got " + x);
        Tensor y = t.tensor(new long[]{x.shape()[0], x.height() + 2L * pad, x.width() + 2L * pad}, x.space(), 1);
        t.record(this, x, y, 0, 0);
        return y;
    }

    @Override
    public Module copy() { return new ReflectionPad2d(pad); }

    @Override
    public String describe() { return Integer.toString(pad); }
}
