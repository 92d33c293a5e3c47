package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Graph;

/**
 * Multi-head self-attention (Vaswani et al. 2017, as in ViT/DeiT) on tokens {@code [B, T, dim]}:
 * {@code q, k, v = x Wq, x Wk, x Wv} split into {@code heads} heads of {@code dim/heads}, {@code A = softmax(q k^T /
 * sqrt(dim/heads))} over keys, output {@code (A v) Wo}. The attention probabilities {@code [B, heads, T, T]} are a
 * named graph output ({@link #attentionName()}), so methods can read them (SMMix's attention scores).
 * <p>MACs (DESIGN.md): the four projections {@code 4 T dim^2} plus the two attention matmuls {@code q k^T} and
 * {@code A v}, {@code T^2 dim} each. Params: {@code 4 (dim^2 + dim)} (the q, k, v projections are PyTorch's fused qkv).
 */
public final class MultiHeadAttention extends Module {

    private final int dim, heads;
    private final Param wq, bq, wk, bk, wv, bv, wo, bo;

    /** Weights truncated-normal (std 0.02), biases zero (DeiT's initialisation). */
    public MultiHeadAttention(int dim, int heads) {
        this(dim, heads, init(dim), Nd4j.zeros(dim), init(dim), Nd4j.zeros(dim), init(dim), Nd4j.zeros(dim),
                init(dim), Nd4j.zeros(dim));
    }

    /**
     * With {@code torchInit}, PyTorch's {@code nn.Linear} default (kaiming-uniform a = sqrt 5: U(+-1/sqrt(dim)) for
     * weights and biases), which trains a small ViT from scratch much faster than DeiT's std-0.02 initialisation.
     */
    public MultiHeadAttention(int dim, int heads, boolean torchInit) {
        this(dim, heads, w(dim, torchInit), b(dim, torchInit), w(dim, torchInit), b(dim, torchInit), w(dim, torchInit),
                b(dim, torchInit), w(dim, torchInit), b(dim, torchInit));
    }

    private static INDArray w(int dim, boolean torch) { return torch ? Init.torchDefault(dim, dim, dim) : init(dim); }

    private static INDArray b(int dim, boolean torch) { return torch ? Init.torchDefault(dim, dim) : Nd4j.zeros(dim); }

    /** Weights stored {@code [in, out]}. */
    public MultiHeadAttention(int dim, int heads, INDArray wq, INDArray bq, INDArray wk, INDArray bk, INDArray wv,
                              INDArray bv, INDArray wo, INDArray bo) {
        if (heads <= 0 || dim % heads != 0)
            throw new IllegalArgumentException("attention dim " + dim + " is not divisible by " + heads + " heads");
        this.dim = dim;
        this.heads = heads;
        this.wq = addParam("q.weight", Param.Kind.WEIGHT, wq);
        this.bq = addParam("q.bias", Param.Kind.BIAS, bq);
        this.wk = addParam("k.weight", Param.Kind.WEIGHT, wk);
        this.bk = addParam("k.bias", Param.Kind.BIAS, bk);
        this.wv = addParam("v.weight", Param.Kind.WEIGHT, wv);
        this.bv = addParam("v.bias", Param.Kind.BIAS, bv);
        this.wo = addParam("proj.weight", Param.Kind.WEIGHT, wo);
        this.bo = addParam("proj.bias", Param.Kind.BIAS, bo);
    }

    private static INDArray init(int dim) { return Tokens.truncNormal(0.02, dim, dim); }

    public int dim() { return dim; }
    public int heads() { return heads; }

    /** Name of the {@code [B, heads, T, T]} attention-probabilities variable in a graph of the model. */
    public String attentionName() { return "attention:" + path(); }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        SameDiff sd = g.sd();
        long tokens = g.inputOf(this).shape()[0], hd = dim / heads;
        SDVariable q = split(Tokens.linear(g, x, wq, bq, tokens, dim, dim).mul(1.0 / Math.sqrt(hd)), tokens, hd);
        SDVariable k = split(Tokens.linear(g, x, wk, bk, tokens, dim, dim), tokens, hd);
        SDVariable v = split(Tokens.linear(g, x, wv, bv, tokens, dim, dim), tokens, hd);
        SDVariable scores = sd.mmul(q, k, false, true, false);                     // [B, H, T, T]
        SDVariable attn = sd.identity(attentionName(), sd.nn().softmax(scores, 3));
        SDVariable out = sd.mmul(attn, v).permute(0, 2, 1, 3).reshape(-1, tokens, dim);   // [B, T, dim]
        return Tokens.linear(g, out, wo, bo, tokens, dim, dim);
    }

    /** {@code [B, T, dim] -> [B, heads, T, dim/heads]}. */
    private SDVariable split(SDVariable x, long tokens, long hd) {
        return x.reshape(-1, tokens, heads, hd).permute(0, 2, 1, 3);
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        Tokens.expect(this, x, dim);
        long tokens = x.shape()[0];
        Tensor y = t.tensor(new long[]{tokens, dim}, t.newSpace(this), 1);
        long macs = 4L * tokens * dim * dim + 2L * tokens * tokens * dim;
        t.record(this, x, y, macs, 4L * dim * dim + 4L * dim);
        return y;
    }

    /** MACs of the two attention matmuls alone ({@code 2 T^2 dim}) for an input of {@code tokens} tokens. */
    public long attentionMatmulMacs(long tokens) { return 2L * tokens * tokens * dim; }

    @Override
    public Module copy() {
        return new MultiHeadAttention(dim, heads, wq.value().dup(), bq.value().dup(), wk.value().dup(), bk.value().dup(),
                wv.value().dup(), bv.value().dup(), wo.value().dup(), bo.value().dup());
    }

    @Override
    public String describe() { return dim + " x" + heads + " heads"; }
}
