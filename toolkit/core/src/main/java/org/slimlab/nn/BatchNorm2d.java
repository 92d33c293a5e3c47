package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Graph;

/**
 * Batch normalisation over NCHW channels. Training mode uses batch statistics and is composed from primitives,
 * because {@code sd.nn().batchNorm} has no working gradient in DL4J M2.1 (DL4J-NOTES.md §4); the running mean and
 * (unbiased) variance are updated outside the graph with PyTorch's momentum 0.1. Eval mode is the affine map
 * {@code x * gamma/sqrt(var+eps) + (beta - mean*gamma/sqrt(var+eps))}, also differentiable.
 */
public final class BatchNorm2d extends Module {

    public static final double EPS = 1e-5;
    public static final double MOMENTUM = 0.1;

    private final int channels;
    private final Param gamma, beta, runningMean, runningVar;

    public BatchNorm2d(int channels) {
        this(channels, Nd4j.ones(channels), Nd4j.zeros(channels), Nd4j.zeros(channels), Nd4j.ones(channels));
    }

    public BatchNorm2d(int channels, INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningVar) {
        this.channels = channels;
        this.gamma = addParam("weight", Param.Kind.NORM_SCALE, gamma);
        this.beta = addParam("bias", Param.Kind.NORM_SHIFT, beta);
        this.runningMean = addParam("running_mean", Param.Kind.BUFFER, runningMean);
        this.runningVar = addParam("running_var", Param.Kind.BUFFER, runningVar);
    }

    public int channels() { return channels; }
    public Param gamma() { return gamma; }
    public Param beta() { return beta; }
    public Param runningMean() { return runningMean; }
    public Param runningVar() { return runningVar; }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        SDVariable gam = g.var(gamma).reshape(1, channels, 1, 1), bet = g.var(beta).reshape(1, channels, 1, 1);
        SDVariable y;
        if (g.training()) {
            SDVariable mean = x.mean(true, 0, 2, 3);
            SDVariable xc = x.sub(mean);
            SDVariable var = xc.mul(xc).mean(true, 0, 2, 3);
            SDVariable scale = gam.mul(g.sd().math().rsqrt(var.add(EPS)));
            y = xc.mul(scale).add(bet);
            g.recordBatchStats(this, mean, var);
        } else {
            SDVariable scale = gam.mul(g.sd().math().rsqrt(g.buffer(runningVar).reshape(1, channels, 1, 1).add(EPS)));
            SDVariable shift = bet.sub(g.buffer(runningMean).reshape(1, channels, 1, 1).mul(scale));
            y = x.mul(scale).add(shift);
        }
        return g.maskChannels(this, y);
    }

    /**
     * Folds one batch's statistics into the running ones: {@code running = (1-m) running + m stat}, with the
     * variance made unbiased over {@code count} values per channel (PyTorch's convention). {@code m = 1/(k+1)}
     * gives a cumulative average (BN recalibration).
     */
    public void updateRunning(INDArray batchMean, INDArray batchVar, long count, double momentum) {
        INDArray mean = batchMean.reshape(channels).castTo(runningMean.value().dataType());
        INDArray var = batchVar.reshape(channels).castTo(runningVar.value().dataType()).mul(count / Math.max(1.0, count - 1.0));
        runningMean.value().muli(1 - momentum).addi(mean.muli(momentum));
        runningVar.value().muli(1 - momentum).addi(var.muli(momentum));
    }

    /** Resets running statistics to mean 0, variance 1. */
    public void resetRunning() {
        runningMean.value().assign(0);
        runningVar.value().assign(1);
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        if (x.shape().length != 3 || x.shape()[0] != channels)
            throw new IllegalArgumentException(path() + ": BatchNorm2d(" + channels + ") got input " + x);
        Tensor y = t.tensor(x.shape(), x.space(), 1);
        t.record(this, x, y, 0, 2L * channels);
        return y;
    }

    /** A copy keeping only {@code keep} channels (null = all). */
    public BatchNorm2d slice(int[] keep) {
        return new BatchNorm2d(keep == null ? channels : keep.length, Slicing.take(gamma.value(), 0, keep),
                Slicing.take(beta.value(), 0, keep), Slicing.take(runningMean.value(), 0, keep),
                Slicing.take(runningVar.value(), 0, keep));
    }

    @Override
    public Module copy() { return slice(null); }

    @Override
    public String describe() { return Integer.toString(channels); }
}
