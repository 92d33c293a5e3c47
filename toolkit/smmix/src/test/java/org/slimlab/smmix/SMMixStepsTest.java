package org.slimlab.smmix;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slimlab.data.Batch;
import org.slimlab.data.ImageSet;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.GradientCheck;
import org.slimlab.graph.Graphs;
import org.slimlab.mix.Labels;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.nn.Param;
import org.slimlab.nn.VisionTransformer;
import org.slimlab.nn.VisionTransformers;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** One test per SMMix step (METHODS.md §5): scores, side, max-min windows, mixing and labels, losses, CLS inference. */
class SMMixStepsTest {

    /** A ViT for 1x8x8 images, patch 2: a 4x4 token grid (16 tokens + CLS), dim 4, one block, 3 classes, token head. */
    static Model vit(long seed) { return VisionTransformers.vit("t", 1, 8, 2, 4, 1, 2, 2, 3, seed, true); }

    static Batch batch(int b, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) labels[i] = (i * 2 + 1) % classes;
        return new Batch(Nd4j.randn(DataType.FLOAT, b, 1, 8, 8), ImageSet.oneHot(labels, classes), labels);
    }

    @Test
    void step2ScoresAreAttentionReceivedAveragedOverHeadsAndPatchQueries() {
        INDArray attn = Nd4j.zeros(DataType.DOUBLE, 1, 2, 3, 3);   // CLS + 2 patches
        attn.putScalar(new long[]{0, 0, 1, 1}, 0.2); attn.putScalar(new long[]{0, 0, 2, 1}, 0.4);
        attn.putScalar(new long[]{0, 1, 1, 2}, 0.6); attn.putScalar(new long[]{0, 1, 2, 2}, 0.8);
        attn.putScalar(new long[]{0, 0, 0, 1}, 9.0);   // CLS query: ignored
        attn.putScalar(new long[]{0, 1, 1, 0}, 9.0);   // CLS key: ignored
        INDArray s = AttentionScores.patchScores(attn);
        assertThat(s.shape()).containsExactly(1, 2);
        assertThat(s.getDouble(0, 0)).isCloseTo((0.2 + 0.4) / 4, within(1e-12));
        assertThat(s.getDouble(0, 1)).isCloseTo((0.6 + 0.8) / 4, within(1e-12));
        assertThatThrownBy(() -> AttentionScores.patchScores(Nd4j.zeros(2, 3, 3))).hasMessageContaining("expected attention");
    }

    @Test
    void step3SideIsUniformBetweenAQuarterAndThreeQuartersOfTheGrid() {
        Random rng = new Random(1);
        Set<Integer> seen7 = new HashSet<>(), seen14 = new HashSet<>();
        for (int i = 0; i < 500; i++) { seen7.add(Windows.side(7, 0.25, 0.75, rng)); seen14.add(Windows.side(14, 0.25, 0.75, rng)); }
        assertThat(seen7).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        assertThat(seen14).containsExactlyInAnyOrder(3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void step4WindowSumsAndTheMaxMinChoice() {
        Nd4j.getRandom().setSeed(2);
        INDArray scores = Nd4j.rand(DataType.DOUBLE, 3, 5, 5);
        INDArray sums = Windows.sums(scores, 2);
        assertThat(sums.shape()).containsExactly(3, 4, 4);
        for (int b = 0; b < 3; b++)
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++) {
                    double expect = scores.get(NDArrayIndex.point(b), NDArrayIndex.interval(r, r + 2), NDArrayIndex.interval(c, c + 2)).sumNumber().doubleValue();
                    assertThat(sums.getDouble(b, r, c)).isCloseTo(expect, within(1e-12));
                }
        // a bright 2x2 spot at (3, 1) and a dark one at (0, 2) in image 0
        INDArray s = Nd4j.ones(DataType.DOUBLE, 1, 5, 5);
        s.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 5), NDArrayIndex.interval(1, 3)).assign(5);
        s.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 2), NDArrayIndex.interval(2, 4)).assign(0);
        Windows.Choice max = Windows.choose(s, 2, true), min = Windows.choose(s, 2, false);
        assertThat(max.rows()[0]).isEqualTo(3); assertThat(max.cols()[0]).isEqualTo(1);
        assertThat(min.rows()[0]).isEqualTo(0); assertThat(min.cols()[0]).isEqualTo(2);
    }

    @Test
    void step5PastesTheSourcesMaxWindowIntoTheTargetsMinWindowWithAreaLambdaAndMixedLabels() {
        int b = 3, patch = 2, k = 2;
        INDArray x = Nd4j.arange(b * 8 * 8).castTo(DataType.FLOAT).reshape(b, 1, 8, 8);
        INDArray scores = Nd4j.ones(DataType.FLOAT, b, 4, 4);
        scores.putScalar(new long[]{0, 3, 3}, 0f);        // image 0: min window at (2, 2)
        scores.putScalar(new long[]{2, 0, 1}, 9f);        // image 2 (partner of 0): max window at (0, 0)
        MaxMinMix.Result r = MaxMinMix.mix(x, scores, k, patch);
        assertThat(r.target().rows()[0]).isEqualTo(2); assertThat(r.target().cols()[0]).isEqualTo(2);
        assertThat(r.source().rows()[0]).isEqualTo(0); assertThat(r.source().cols()[0]).isEqualTo(0);
        INDArray pasted = r.images().get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.interval(4, 8), NDArrayIndex.interval(4, 8));
        INDArray fromSource = x.get(NDArrayIndex.point(2), NDArrayIndex.point(0), NDArrayIndex.interval(0, 4), NDArrayIndex.interval(0, 4));
        assertThat(pasted.equals(fromSource)).isTrue();
        INDArray kept = r.images().get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.interval(0, 4), NDArrayIndex.all());
        assertThat(kept.equals(x.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.interval(0, 4), NDArrayIndex.all()))).isTrue();
        // masks: k^2 pasted tokens per image, at the target window (tokens 10, 11, 14, 15 of image 0)
        assertThat(r.sourceMask().sum(1).toDoubleVector()).containsExactly(4, 4, 4);
        assertThat(r.sourceMask().getDouble(0, 10) + r.sourceMask().getDouble(0, 11) + r.sourceMask().getDouble(0, 14) + r.sourceMask().getDouble(0, 15)).isEqualTo(4.0);
        assertThat(r.targetMask().add(r.sourceMask()).minNumber().doubleValue()).isEqualTo(1.0);
        assertThat(r.lambda()).isEqualTo(1 - 4 / 16.0);
        INDArray y = MaxMinMix.mixedTargets(new int[]{0, 1, 2}, 3, 0.1, r.lambda());
        double off = 0.1 / 3, on = 0.9 + off;
        assertThat(y.getDouble(0, 0)).isCloseTo(0.75 * on + 0.25 * off, within(1e-6));
        assertThat(y.getDouble(0, 2)).isCloseTo(0.75 * off + 0.25 * on, within(1e-6));
    }

    @Test
    void step6LossesHaveTheirDefinedValues() {
        Model m = vit(3).cast(DataType.DOUBLE);
        VisionTransformer v = (VisionTransformer) m.root();
        Batch b = batch(4, 3, 5);
        INDArray x = b.x().castTo(DataType.DOUBLE);
        INDArray src = Nd4j.zeros(DataType.DOUBLE, 4, 16);
        src.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4)).assign(1);
        INDArray yt = Labels.smooth(b.labels(), 3, 0.1).castTo(DataType.DOUBLE), ys = Labels.partner(yt);
        INDArray y = Labels.mix(yt, ys, 0.75);
        INDArray teacher = Nd4j.nn().softmax(Nd4j.randn(DataType.DOUBLE, 4, 3), 1);
        Map<String, INDArray> out = Graphs.eval(m).outputs(x, null, Compiled.LOGITS, VisionTransformer.TOKENS);
        INDArray z = out.get(Compiled.LOGITS), tokens = out.get(VisionTransformer.TOKENS);
        double ce = ce(z, y);
        // L_fine by hand: token head on the masked means of the patch tokens
        Linear th = (Linear) v.tokenHead();
        INDArray patches = tokens.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 17), NDArrayIndex.all());
        INDArray srcMean = patches.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.all()).mean(1);
        INDArray tgtMean = patches.get(NDArrayIndex.all(), NDArrayIndex.interval(4, 16), NDArrayIndex.all()).mean(1);
        double fine = 0.5 * (ce(tgtMean.mmul(th.weight().value()).addRowVector(th.bias().value()), yt)
                + ce(srcMean.mmul(th.weight().value()).addRowVector(th.bias().value()), ys));
        double kl = 0;
        INDArray logq = logSoftmax(z);
        for (int i = 0; i < 4; i++)
            for (int c = 0; c < 3; c++) { double p = teacher.getDouble(i, c); kl += p * (Math.log(p) - logq.getDouble(i, c)); }
        kl /= 4;
        assertThat(loss(m, 0, 0, x, y, src, yt, ys, teacher)).isCloseTo(ce, within(1e-9));
        assertThat(loss(m, 1, 0, x, y, src, yt, ys, teacher)).isCloseTo(ce + fine, within(1e-9));
        assertThat(loss(m, 0, 1, x, y, src, yt, ys, teacher)).isCloseTo(ce + kl, within(1e-9));
        assertThat(loss(m, 1, 1, x, y, src, yt, ys, teacher)).isCloseTo(ce + fine + kl, within(1e-9));
        assertThatThrownBy(() -> SMMixLoss.of(Models.smallCnn(10, 1), 1, 1)).hasMessageContaining("vision transformer");
        assertThatThrownBy(() -> SMMixLoss.of(VisionTransformers.vit("n", 1, 8, 2, 4, 1, 2, 2, 3, 1, false), 1, 1)).hasMessageContaining("token head");
    }

    static double loss(Model m, double fine, double con, INDArray x, INDArray y, INDArray src, INDArray yt, INDArray ys, INDArray teacher) {
        SMMixLoss l = SMMixLoss.of(m, fine, con).batch(src, yt, ys, teacher);
        return Graphs.train(m, l).run(x, y, List.of(), List.of()).loss();
    }

    static INDArray logSoftmax(INDArray z) {
        INDArray max = z.max(1).reshape(z.size(0), 1);
        INDArray sh = z.subColumnVector(max);
        INDArray lse = org.nd4j.linalg.ops.transforms.Transforms.log(org.nd4j.linalg.ops.transforms.Transforms.exp(sh).sum(1)).reshape(z.size(0), 1);
        return sh.subColumnVector(lse);
    }

    static double ce(INDArray z, INDArray y) { return -logSoftmax(z).mul(y).sum(1).meanNumber().doubleValue(); }

    @Test
    void step6LossGradientsMatchFiniteDifferences() {
        Model m = vit(4).cast(DataType.DOUBLE);
        Batch b = batch(3, 3, 6);
        INDArray src = Nd4j.zeros(DataType.DOUBLE, 3, 16);
        src.get(NDArrayIndex.all(), NDArrayIndex.interval(5, 9)).assign(1);
        INDArray yt = Labels.smooth(b.labels(), 3, 0.1).castTo(DataType.DOUBLE);
        INDArray teacher = Nd4j.nn().softmax(Nd4j.randn(DataType.DOUBLE, 3, 3), 1);
        SMMixLoss l = SMMixLoss.of(m, 1, 1).batch(src, yt, Labels.partner(yt), teacher);
        Compiled g = Graphs.train(m, l);
        List<Param> wrt = m.trainableParameters().stream().filter(p -> p.name().startsWith("token_head") || p.name().startsWith("head")
                || p.name().equals("norm.weight") || p.name().endsWith("mlp.fc2.weight") || p.name().endsWith("attn.v.weight")).toList();
        assertThat(wrt).hasSize(7);
        List<GradientCheck.Report> r = GradientCheck.check(g, b.x().castTo(DataType.DOUBLE), Labels.mix(yt, Labels.partner(yt), 0.75), wrt, 5, 1e-6, 3);
        assertThat(r).hasSize(7);
        for (GradientCheck.Report rep : r) assertThat(rep.maxRelError()).as(rep.variable()).isLessThan(1e-5);
    }

    @Test
    void step7InferenceUsesTheClsHeadOnlyAndStep1RunsWithoutGradients() {
        Model m = vit(5);
        VisionTransformer v = (VisionTransformer) m.root();
        Compiled eval = Graphs.eval(m);
        for (Param p : v.tokenHead().allParams()) assertThat(eval.uses(p)).isFalse();
        Batch b = batch(4, 3, 7);
        INDArray before = eval.logits(b.x()).dup();
        v.tokenHead().allParams().forEach(p -> p.value().addi(1.0));
        assertThat(eval.logits(b.x()).equalsWithEps(before, 1e-7)).isTrue();
        // step 1: the mix reads the model in eval mode and changes no parameter
        INDArray w = m.parameter("head.weight").value().dup();
        SMMix.Mixed mixed = SMMix.of(m).mix(b, 2);
        assertThat(m.parameter("head.weight").value().equals(w)).isTrue();
        assertThat(mixed.result().sourceMask().sum(1).toDoubleVector()).containsExactly(4, 4, 4, 4);
        assertThat(mixed.teacher().sum(1).sub(1).amaxNumber().doubleValue()).isLessThan(1e-5);
        assertThat(mixed.labels().sum(1).sub(1).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void theStepTrainsTheTokenHeadOnlyThroughLFine() {
        Batch b = batch(8, 3, 8);
        ImageSet set = new ImageSet(b.x(), b.labels(), 3);
        org.slimlab.data.ImageData d = new org.slimlab.data.ImageData("random", set, set, null);
        for (double fine : new double[]{1, 0}) {
            Model m = vit(6);
            SMMix s = SMMix.of(m).mixupProbability(0).weights(fine, 1).seed(1);
            INDArray tok = m.parameter("token_head.weight").value().dup(), head = m.parameter("head.weight").value().dup();
            org.slimlab.train.Trainer.of(m).on(d).epochs(1).batch(4).adamw(1e-2, 0).step(s, "smmix").fit();
            assertThat(s.last()).isNotNull();
            assertThat(m.parameter("head.weight").value().equals(head)).isFalse();
            assertThat(m.parameter("token_head.weight").value().equals(tok)).as("token head trained with fine weight %s", fine).isEqualTo(fine == 0);
        }
        assertThatThrownBy(() -> SMMix.of(vit(1)).mixupProbability(2)).hasMessageContaining("probability");
    }

    /**
     * Regression: the full-scale run died in SMMix's scoring pass with "Op.X argument was closed before call": the
     * step released the inference pass's intermediates, some of which the session had put in its array cache, and the
     * cache's next eviction touched a closed array. {@code Compiled.stepIntermediates()} now leaves cached arrays alone.
     */
    @Test
    void survivesBatchesOfChangingSizeAndEvaluationOnTheSameGraph() {
        Batch b = batch(13, 3, 9);
        ImageSet set = new ImageSet(b.x(), b.labels(), 3);
        org.slimlab.data.ImageData d = new org.slimlab.data.ImageData("random", set, set, null);
        Model m = vit(7);
        SMMix s = SMMix.of(m).mixupProbability(0).seed(2);
        // a tiny array cache on the inference graph, so that it evicts on every pass as the full-scale one did when full
        Compiled eval = Graphs.eval(m);
        eval.logits(b.x());
        eval.sd().getSessions().values().forEach(ses ->
                ses.setMmgr(new org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr(3e-7, 0, 1.0)));
        var run = org.slimlab.train.Trainer.of(m).on(d).epochs(4).batch(4).adamw(1e-2, 0).step(s, "smmix").fit();
        assertThat(run.testAccuracy()).isBetween(0.0, 1.0);
        assertThat(s.last()).isNotNull();
    }
}
