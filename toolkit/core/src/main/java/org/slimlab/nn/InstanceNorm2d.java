package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Graph;

/**
 * Instance normalisation (Ulyanov et al. 2016), NCHW: each image's channel is normalised by its own spatial mean
 * and (biased) variance, then scaled and shifted per channel. The same in training and evaluation (no running
 * statistics), which is why image-to-image generators and PatchGAN discriminators use it. Composed from
 * primitives (gradient-checked in float64).
 */
public final class InstanceNorm2d extends Module {

    public static final double EPS = 1e-5;

    private final int channels;
    private final Param gamma, beta;

    /** With a learnable per-channel scale and shift (PyTorch's {@code affine=True}). */
    public InstanceNorm2d(int channels) { this(channels, Nd4j.ones(channels), Nd4j.zeros(channels)); }

    public InstanceNorm2d(int channels, INDArray gamma, INDArray beta) {
        this.channels = channels;
        this.gamma = addParam("weight", Param.Kind.NORM_SCALE, gamma);
        this.beta = addParam("bias", Param.Kind.NORM_SHIFT, beta);
    }

    public int channels() { return channels; }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        SDVariable mean = x.mean(true, 2, 3);
        SDVariable xc = x.sub(mean);
        SDVariable var = xc.mul(xc).mean(true, 2, 3);
        SDVariable scale = g.var(gamma).reshape(1, channels, 1, 1).mul(g.sd().math().rsqrt(var.add(EPS)));
        return g.maskChannels(this, xc.mul(scale).add(g.var(beta).reshape(1, channels, 1, 1)));
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        if (x.shape().length != 3 || x.shape()[0] != channels)
            throw new IllegalArgumentException(path() + ": InstanceNorm2d(" + channels + ") got input " + x);
        Tensor y = t.tensor(x.shape(), x.space(), 1);
        t.record(this, x, y, 0, 2L * channels);
        return y;
    }

    @Override
    public Module copy() { return new InstanceNorm2d(channels, gamma.value().dup(), beta.value().dup()); }

    @Override
    public String describe() { return Integer.toString(channels); }
}
