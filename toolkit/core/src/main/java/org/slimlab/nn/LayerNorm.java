package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Graph;

/**
 * Layer normalisation over the last axis (Ba et al. 2016): {@code (x - mean) / sqrt(var + eps) * gamma + beta} with
 * the biased variance, composed from primitives (each passes the float64 gradient check, GradientChecksTest), the
 * same in training and evaluation. eps 1e-6 as in DeiT. Not counted in MACs; gamma and beta are parameters.
 */
public final class LayerNorm extends Module {

    public static final double EPS = 1e-6;

    private final int dim;
    private final Param gamma, beta;

    public LayerNorm(int dim) { this(dim, Nd4j.ones(dim), Nd4j.zeros(dim)); }

    public LayerNorm(int dim, INDArray gamma, INDArray beta) {
        this.dim = dim;
        this.gamma = addParam("weight", Param.Kind.NORM_SCALE, gamma);
        this.beta = addParam("bias", Param.Kind.NORM_SHIFT, beta);
    }

    public int dim() { return dim; }
    public Param gamma() { return gamma; }
    public Param beta() { return beta; }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        int last = g.inputOf(this).shape().length;   // rank without batch = index of the last axis with batch
        SDVariable mean = x.mean(true, last), xc = x.sub(mean);
        SDVariable var = xc.mul(xc).mean(true, last);
        return xc.mul(g.sd().math().rsqrt(var.add(EPS))).mul(g.var(gamma)).add(g.var(beta));
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        long[] s = x.shape();
        if (s[s.length - 1] != dim) throw new IllegalArgumentException(path() + ": LayerNorm(" + dim + ") got input " + x);
        Tensor y = t.tensor(s, x.space(), x.perChannel());
        t.record(this, x, y, 0, 2L * dim);
        return y;
    }

    @Override
    public Module copy() { return new LayerNorm(dim, gamma.value().dup(), beta.value().dup()); }

    @Override
    public String describe() { return Integer.toString(dim); }
}
