package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Graph;

/**
 * Helpers of the transformer layers, which work on token sequences {@code [B, T, D]} (traced as {@code [T, D]}):
 * a token-wise affine map and the truncated-normal initialisation of ViT/DeiT (std 0.02, cut at 2 std).
 */
final class Tokens {

    private Tokens() {}

    /** {@code x W + b} applied to every token: {@code [B, T, in] -> [B, T, out]} (reshaped through {@code [B*T, in]}). */
    static SDVariable linear(Graph g, SDVariable x, Param w, Param b, long tokens, long in, long out) {
        SDVariable y = x.reshape(-1, in).mmul(g.var(w));
        if (b != null) y = y.add(g.var(b));
        return y.reshape(-1, tokens, out);
    }

    /** The shape check every token layer makes on its traced input. */
    static void expect(Module m, Tensor x, long dim) {
        if (x.shape().length != 2 || x.shape()[1] != dim)
            throw new IllegalArgumentException(m.path() + ": " + m.type() + "(" + m.describe() + ") expects tokens [T, "
                    + dim + "], got " + x);
    }

    /** N(0, std^2) truncated to +-2 std (timm's trunc_normal_(std=.02)), float32. */
    static INDArray truncNormal(double std, long... shape) {
        INDArray a = Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape).muli(std);
        return org.nd4j.linalg.ops.transforms.Transforms.min(org.nd4j.linalg.ops.transforms.Transforms.max(a, -2 * std, false), 2 * std, false);
    }
}
