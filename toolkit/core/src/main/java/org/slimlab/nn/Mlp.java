package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Graph;

/**
 * The transformer's token-wise MLP: {@code fc2(gelu(fc1(x)))} on {@code [B, T, dim]}, hidden width {@code hidden}.
 * GELU is the tanh form {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))} composed from primitives (PyTorch's
 * {@code gelu(approximate='tanh')}; within 1e-3 of the erf form). MACs = 2 * T * dim * hidden (linear = in*out per token).
 */
public final class Mlp extends Module {

    private final int dim, hidden;
    private final Param w1, b1, w2, b2;

    /** Weights truncated-normal (std 0.02), biases zero (DeiT's initialisation). */
    public Mlp(int dim, int hidden) {
        this(dim, hidden, Tokens.truncNormal(0.02, dim, hidden), Nd4j.zeros(hidden),
                Tokens.truncNormal(0.02, hidden, dim), Nd4j.zeros(dim));
    }

    /** With {@code torchInit}, PyTorch's {@code nn.Linear} default initialisation (see {@link MultiHeadAttention}). */
    public Mlp(int dim, int hidden, boolean torchInit) {
        this(dim, hidden, torchInit ? Init.torchDefault(dim, dim, hidden) : Tokens.truncNormal(0.02, dim, hidden),
                torchInit ? Init.torchDefault(dim, hidden) : Nd4j.zeros(hidden),
                torchInit ? Init.torchDefault(hidden, hidden, dim) : Tokens.truncNormal(0.02, hidden, dim),
                torchInit ? Init.torchDefault(hidden, dim) : Nd4j.zeros(dim));
    }

    /** Weights stored {@code [in, out]}. */
    public Mlp(int dim, int hidden, INDArray w1, INDArray b1, INDArray w2, INDArray b2) {
        this.dim = dim;
        this.hidden = hidden;
        this.w1 = addParam("fc1.weight", Param.Kind.WEIGHT, w1);
        this.b1 = addParam("fc1.bias", Param.Kind.BIAS, b1);
        this.w2 = addParam("fc2.weight", Param.Kind.WEIGHT, w2);
        this.b2 = addParam("fc2.bias", Param.Kind.BIAS, b2);
    }

    public int dim() { return dim; }
    public int hidden() { return hidden; }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        long tokens = g.inputOf(this).shape()[0];
        SDVariable h = gelu(g.sd(), Tokens.linear(g, x, w1, b1, tokens, dim, hidden));
        return Tokens.linear(g, h, w2, b2, tokens, hidden, dim);
    }

    /** GELU, tanh form, from primitives. */
    public static SDVariable gelu(SameDiff sd, SDVariable x) {
        SDVariable inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
        return x.mul(sd.math().tanh(inner).add(1.0)).mul(0.5);
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        Tokens.expect(this, x, dim);
        long tokens = x.shape()[0];
        Tensor y = t.tensor(new long[]{tokens, dim}, t.newSpace(this), 1);
        t.record(this, x, y, 2L * tokens * dim * hidden, 2L * dim * hidden + hidden + dim);
        return y;
    }

    @Override
    public Module copy() {
        return new Mlp(dim, hidden, w1.value().dup(), b1.value().dup(), w2.value().dup(), b2.value().dup());
    }

    @Override
    public String describe() { return dim + "->" + hidden + "->" + dim; }
}
