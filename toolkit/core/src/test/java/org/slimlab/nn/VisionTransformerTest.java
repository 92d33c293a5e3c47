package org.slimlab.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.GradientCheck;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Losses;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The ViT layers: float64 finite-difference gradient checks of every new op (patch embedding with CLS token and
 * position embeddings, LayerNorm, multi-head attention with its batched matmuls and softmax, GELU MLP, CLS select),
 * their forward semantics against plain ND4J, and the MACs/params counts (DeiT-Tiny's published numbers pinned).
 */
class VisionTransformerTest {

    static final double TOL = 1e-5;

    static Model tinyVit(long seed) {
        return VisionTransformers.vit("t", 2, 4, 2, 4, 1, 2, 2, 3, seed, false);   // 2x2 patches + CLS, dim 4, 2 heads
    }

    static void assertGradients(Model m, int batch) {
        Model d = m.cast(DataType.DOUBLE);
        Nd4j.getRandom().setSeed(3);
        long[] in = d.inputShape();
        INDArray x = Nd4j.randn(DataType.DOUBLE, batch, in[0], in[1], in[2]);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, d.classes());
        for (int i = 0; i < batch; i++) y.putScalar(i, i % d.classes(), 1.0);
        Compiled g = Graphs.train(d, Losses.crossEntropy());
        List<GradientCheck.Report> r = GradientCheck.check(g, x, y, d.trainableParameters(), 6, 1e-6, 11);
        assertThat(r).hasSize(d.trainableParameters().size() - (d.root() instanceof VisionTransformer v && v.tokenHead() != null ? 2 : 0));
        for (GradientCheck.Report rep : r)
            assertThat(rep.maxRelError()).as("relative gradient error of %s", rep.variable()).isLessThan(TOL);
    }

    @Test
    void wholeVitGradientsMatchFiniteDifferences() {
        // every parameter of every new layer: patch conv, CLS, positions, LNs, q/k/v/proj (batched matmuls,
        // softmax over keys), fc1/fc2 (GELU), the CLS select and the head; with a token head present but unused
        assertGradients(tinyVit(1), 3);
    }

    @Test
    void layerNormAttentionAndGeluComputeWhatTheyShould() {
        Model m = tinyVit(2).cast(DataType.DOUBLE);
        VisionTransformer vit = (VisionTransformer) m.root();
        INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 2, 4, 4);
        Compiled g = Graphs.eval(m);
        Map<String, INDArray> out = g.outputs(x, null, VisionTransformer.TOKENS, vit.lastAttention().attentionName(), Compiled.LOGITS);
        INDArray tokens = out.get(VisionTransformer.TOKENS), attn = out.get(vit.lastAttention().attentionName());
        assertThat(tokens.shape()).containsExactly(5, 5, 4);
        assertThat(attn.shape()).containsExactly(5, 2, 5, 5);
        // softmax over keys: every row sums to one
        assertThat(attn.sum(3).sub(1.0).amaxNumber().doubleValue()).isLessThan(1e-12);
        // final LayerNorm with gamma 1, beta 0: zero mean, variance var/(var + eps) ~ 1 per token
        assertThat(tokens.mean(2).amaxNumber().doubleValue()).isLessThan(1e-10);
        assertThat(tokens.mul(tokens).mean(2).sub(1.0).amaxNumber().doubleValue()).isLessThan(1e-2);
        // the logits are the head applied to the CLS token
        Linear head = (Linear) vit.head();
        INDArray cls = tokens.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all());
        INDArray expect = cls.mmul(head.weight().value()).addRowVector(head.bias().value());
        assertThat(out.get(Compiled.LOGITS).sub(expect).amaxNumber().doubleValue()).isLessThan(1e-12);
        // GELU (tanh form) at a few points
        var sd = org.nd4j.autodiff.samediff.SameDiff.create();
        INDArray pts = Nd4j.createFromArray(-2.0, -0.5, 0.0, 1.0, 3.0);
        INDArray gelu = Mlp.gelu(sd, sd.constant(pts)).eval();
        double[] erfGelu = {-0.04550026, -0.15426877, 0.0, 0.84134475, 2.99595031};
        for (int i = 0; i < 5; i++) assertThat(gelu.getDouble(i)).isCloseTo(erfGelu[i], within(1e-3));
    }

    @Test
    void attentionMatchesAHandComputationForOneHead() {
        Init.seed(9);
        MultiHeadAttention a = new MultiHeadAttention(4, 1);
        Model m = new Model("t", new VisionTransformer(new PatchEmbed(1, 4, 2, 4, 4), new Sequential(a),
                new LayerNorm(4), new Linear(4, 3), null), 1, 4, 4).cast(DataType.DOUBLE);
        MultiHeadAttention att = m.modules(MultiHeadAttention.class).get(0);
        PatchEmbed pe = m.modules(PatchEmbed.class).get(0);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 1, 4, 4);
        // run a graph whose output is the attention probabilities and compare with softmax(q k^T / 2) from the tokens
        Compiled g = Graphs.eval(m);
        Model embedOnly = new Model("e", pe.copy(), 1, 4, 4);   // not traced as a classifier: compute tokens by hand
        INDArray attn = g.outputs(x, null, att.attentionName()).get(att.attentionName());
        for (int b = 0; b < 2; b++) {
            INDArray tok = Nd4j.create(DataType.DOUBLE, 5, 4);
            tok.getRow(0).assign(pe.params().get(2).value().reshape(4));
            for (int r = 0; r < 2; r++)
                for (int c = 0; c < 2; c++) {
                    INDArray patch = x.get(NDArrayIndex.point(b), NDArrayIndex.point(0), NDArrayIndex.interval(2 * r, 2 * r + 2),
                            NDArrayIndex.interval(2 * c, 2 * c + 2));   // [2, 2]
                    INDArray w = pe.params().get(0).value();            // [2, 2, 1, 4] YXIO
                    INDArray e = w.reshape(4, 4).transpose().mmul(patch.reshape(4, 1)).reshape(4).add(pe.params().get(1).value());
                    tok.getRow(1 + 2 * r + c).assign(e);
                }
            tok.addi(pe.params().get(3).value().reshape(5, 4));
            INDArray q = tok.mmul(att.params().get(0).value()).addRowVector(att.params().get(1).value());
            INDArray k = tok.mmul(att.params().get(2).value()).addRowVector(att.params().get(3).value());
            INDArray s = q.mmul(k.transpose()).div(2.0);
            INDArray e = org.nd4j.linalg.ops.transforms.Transforms.exp(s.subColumnVector(s.max(1).reshape(5, 1)));
            INDArray p = e.divColumnVector(e.sum(1).reshape(5, 1));
            assertThat(attn.get(NDArrayIndex.point(b), NDArrayIndex.point(0)).sub(p).amaxNumber().doubleValue()).isLessThan(1e-10);
        }
        assertThat(embedOnly.params()).isEqualTo(4 * 4 + 4 + 4 + 5 * 4);
    }

    @Test
    void deitTinyMatchesItsPublishedCount() {
        Model m = VisionTransformers.deitTiny(1000);
        assertThat(m.params()).isEqualTo(5_717_416L);
        assertThat((double) m.macs()).isCloseTo(1.26e9, within(0.01 * 1.26e9));
        // the attention matmuls are in the count: 12 blocks x 2 x 197^2 x 192
        MultiHeadAttention a = m.modules(MultiHeadAttention.class).get(0);
        assertThat(m.trace().node(a).macs()).isEqualTo(4L * 197 * 192 * 192 + 2L * 197 * 197 * 192);
        assertThat(12 * a.attentionMatmulMacs(197)).isEqualTo(12L * 2 * 197 * 197 * 192);
        assertThat(m.summary().rowCount()).isEqualTo(1 + 12 * 4 + 1 + 1 + 1);   // embed, 4 per block, norm, head, total
    }

    @Test
    void tinyVitCountsByTheFormulasAndTheTokenHeadIsNotCounted() {
        Model with = VisionTransformers.tiny(1, 28, 4, 48, 3, 3, 2, 10, 1, true);
        Model without = VisionTransformers.tiny(1, 28, 4, 48, 3, 3, 2, 10, 1, false);
        long t = 50, d = 48, h = 96;
        long block = 4 * t * d * d + 2 * t * t * d + 2 * t * d * h;
        assertThat(with.macs()).isEqualTo(49L * d * 16 + 3 * block + d * 10);
        assertThat(with.macs()).isEqualTo(without.macs());
        assertThat(with.params()).isEqualTo(without.params());
        assertThat(with.parameters().size()).isEqualTo(without.parameters().size() + 2);
        assertThat(with.parameter("token_head.weight").value().shape()).containsExactly(48, 10);
        assertThat(with.classes()).isEqualTo(10);
        assertThatThrownBy(() -> new MultiHeadAttention(10, 3)).hasMessageContaining("divisible");
        assertThatThrownBy(() -> VisionTransformers.vit("x", 1, 28, 5, 8, 1, 2, 2, 10, 1, false)).hasMessageContaining("patches");
    }
}
