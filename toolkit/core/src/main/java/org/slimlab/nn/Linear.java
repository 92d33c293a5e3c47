package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.graph.Graph;

/** Fully connected layer {@code y = x W + b} on {@code [B, in]}, W stored {@code [in, out]}. MACs = in * out. */
public final class Linear extends Module {

    private final int in, out;
    private final Param weight, bias;

    public Linear(int in, int out) {
        this(in, out, Init.torchDefault(in, in, out), Init.torchDefault(in, out));
    }

    public Linear(int in, int out, INDArray weight, INDArray bias) {
        this.in = in;
        this.out = out;
        this.weight = addParam("weight", Param.Kind.WEIGHT, weight);
        this.bias = bias == null ? null : addParam("bias", Param.Kind.BIAS, bias);
    }

    public int in() { return in; }
    public int out() { return out; }
    public Param weight() { return weight; }
    public Param bias() { return bias; }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        SDVariable y = x.mmul(g.var(weight));
        if (bias != null) y = y.add(g.var(bias));
        return g.maskChannels(this, y);
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        if (x.shape().length != 1 || x.shape()[0] != in)
            throw new IllegalArgumentException(path() + ": Linear(" + describe() + ") expects [" + in + "], got " + x
                    + (x.shape().length > 1 ? " (add a Flatten or GlobalAvgPool before it)" : ""));
        Tensor y = t.tensor(new long[]{out}, t.newSpace(this), 1);
        t.record(this, x, y, (long) in * out, (long) in * out + (bias == null ? 0 : out));
        return y;
    }

    /** A copy keeping only the given input features and outputs (null = all). */
    public Linear slice(int[] keepIn, int[] keepOut) {
        return new Linear(keepIn == null ? in : keepIn.length, keepOut == null ? out : keepOut.length,
                Slicing.take(Slicing.take(weight.value(), 0, keepIn), 1, keepOut),
                bias == null ? null : Slicing.take(bias.value(), 0, keepOut));
    }

    @Override
    public Module copy() { return slice(null, null); }

    @Override
    public String describe() { return in + "->" + out; }
}
