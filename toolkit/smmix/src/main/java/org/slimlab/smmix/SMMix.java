package org.slimlab.smmix;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.data.Batch;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;
import org.slimlab.mix.Labels;
import org.slimlab.mix.Mixup;
import org.slimlab.nn.BatchNorm2d;
import org.slimlab.nn.Model;
import org.slimlab.nn.VisionTransformer;
import org.slimlab.train.StepContext;
import org.slimlab.train.TrainStep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * SMMix: Self-Motivated Image Mixing for Vision Transformers (Chen, Lin, Zhang, Ji et al., ICCV 2023,
 * arXiv 2212.12977), as a training step for any core {@link VisionTransformer}. Per batch, with probability
 * {@code mixupProb} Mixup (Beta(0.8, 0.8)) with the plain soft cross-entropy; otherwise SMMix:
 * <ol>
 *   <li>the model itself, in eval mode and without gradients, scores every patch on the unmixed batch with its last
 *       block's attention ({@link AttentionScores}) and gives the unmixed logits {@code z};</li>
 *   <li>one window side k per batch ({@link Windows#side}); the source's max-attention {@code k x k} window is pasted
 *       into the target's min-attention window, image i paired with image B-1-i ({@link MaxMinMix});</li>
 *   <li>{@code lambda = 1 - k^2/N}; the loss is {@link SMMixLoss}: {@code L_cls + L_fine + L_con}.</li>
 * </ol>
 * Inference uses the CLS head only (the token head is trained by L_fine and ignored by evaluation and counting).
 * <pre>{@code
 * var vit = VisionTransformers.tiny(1, 28, 4, 48, 3, 3, 2, 10, 1, true);     // with a token head
 * var smmix = SMMix.of(vit).seed(1);                                            // Mixup p=0.5, L_fine and L_con on
 * train(vit).on(data).epochs(10).adamw(1e-3, 0.05).cosine().step(smmix, "smmix").fit();
 * smmix.last();                                                                 // the last mixed batch (windows, lambda)
 * }</pre>
 */
public final class SMMix implements TrainStep {

    private final Model model;
    private final VisionTransformer vit;
    private final double mixupProb, mixupAlpha, smoothing, minSide, maxSide;
    private final long seed;
    private final SMMixLoss loss;
    private final Objective ce = Losses.crossEntropy();
    private Random rng;
    private MaxMinMix.Result last;

    private SMMix(Model model, double mixupProb, double mixupAlpha, double smoothing, double minSide, double maxSide,
                  double fineWeight, double conWeight, long seed) {
        this.model = model;
        this.loss = SMMixLoss.of(model, fineWeight, conWeight);   // checks the model is a ViT (with a token head if needed)
        this.vit = (VisionTransformer) model.root();
        if (vit.patchEmbed().gridHeight() != vit.patchEmbed().gridWidth())
            throw new IllegalArgumentException("SMMix needs a square token grid, got " + vit.patchEmbed().gridHeight() + "x" + vit.patchEmbed().gridWidth());
        if (mixupProb < 0 || mixupProb > 1) throw new IllegalArgumentException("mixup probability must be in [0, 1], got " + mixupProb);
        this.mixupProb = mixupProb;
        this.mixupAlpha = mixupAlpha;
        this.smoothing = smoothing;
        this.minSide = minSide;
        this.maxSide = maxSide;
        this.seed = seed;
    }

    /** The paper's setting for {@code model}: Mixup with p 0.5 (alpha 0.8), smoothing 0.1, sides 0.25-0.75 s, both extra losses. */
    public static SMMix of(Model model) { return new SMMix(model, 0.5, 0.8, 0.1, 0.25, 0.75, 1, 1, 1); }

    private SMMix with(double mixupProb, double fine, double con, long seed) {
        return new SMMix(model, mixupProb, mixupAlpha, smoothing, minSide, maxSide, fine, con, seed);
    }

    /** Probability of a Mixup batch instead of SMMix (0 = SMMix on every batch). */
    public SMMix mixupProbability(double p) { return with(p, loss.fineWeight(), loss.conWeight(), seed); }
    /** Weights of L_fine and L_con (0 leaves a term out: the ablations). */
    public SMMix weights(double fine, double con) { return with(mixupProb, fine, con, seed); }
    /** Seed of the per-batch draws (Mixup or SMMix, lambda, window side). */
    public SMMix seed(long s) { return with(mixupProb, loss.fineWeight(), loss.conWeight(), s); }

    public SMMixLoss loss() { return loss; }

    /** The last SMMix-mixed batch (null before the first, or after Mixup batches only). */
    public MaxMinMix.Result last() { return last; }

    /** Token-grid side of the model. */
    public int gridSide() { return vit.patchEmbed().gridHeight(); }

    @Override
    public StepResult step(StepContext ctx, Batch b) {
        if (rng == null) rng = new Random(seed);
        if (ctx.model() != model) throw new IllegalStateException("this SMMix step was built for " + model.name() + ", not " + ctx.model().name());
        if (rng.nextDouble() < mixupProb) {
            double lambda = org.slimlab.mix.Beta.sample(rng, mixupAlpha, mixupAlpha);
            return ctx.standardStep(Graphs.train(model, ce), Mixup.mix(b, lambda, smoothing));
        }
        int k = Windows.side(gridSide(), minSide, maxSide, rng);
        Mixed m = mix(b, k);
        last = m.result();
        Compiled g = Graphs.train(model, loss.batch(m.result().sourceMask(), m.yTarget(), m.ySource(), m.teacher()));
        Compiled.Result r = g.run(m.result().images(), m.labels(), ctx.trainable(), List.of());
        ctx.checkFinite(r.loss());
        ctx.update(r.grads());
        g.foldBatchStats(r.outputs(), b.size(), BatchNorm2d.MOMENTUM);   // no BN in a ViT; kept for hybrids
        ctx.releaseAfterStep(r.grads().values());
        ctx.releaseAfterStep(r.outputs().values());
        ctx.releaseAfterStep(g.stepIntermediates());
        ctx.releaseAfterStep(m.temporaries());
        return new StepResult(r.loss(), r.logits());
    }

    /** Everything one SMMix batch feeds the graph. */
    public record Mixed(MaxMinMix.Result result, INDArray labels, INDArray yTarget, INDArray ySource, INDArray teacher,
                        List<INDArray> temporaries) {}

    /**
     * Steps 1-5 on batch {@code b} with window side {@code k}: attention scores and logits from the model in eval mode
     * (no gradients), max-min mixing, mixed/target/source labels and the teacher's mixed probabilities.
     */
    public Mixed mix(Batch b, int k) {
        Compiled eval = Graphs.eval(model);
        String attn = vit.lastAttention().attentionName();
        Map<String, INDArray> out = eval.outputs(b.x(), null, Compiled.LOGITS, attn);
        int s = gridSide();
        INDArray scores = AttentionScores.patchScores(out.get(attn)).reshape(b.size(), s, s);
        MaxMinMix.Result r = MaxMinMix.mix(b.x(), scores, k, vit.patchEmbed().patch());
        int classes = model.classes();
        INDArray yt = Labels.smooth(b.labels(), classes, smoothing), ys = Labels.partner(yt);
        INDArray mixed = Labels.mix(yt, ys, r.lambda());
        INDArray probs = Nd4j.nn().softmax(out.get(Compiled.LOGITS).castTo(yt.dataType()), 1);
        INDArray teacher = Labels.mix(probs, Labels.partner(probs), r.lambda());
        List<INDArray> tmp = new ArrayList<>(out.values());
        tmp.addAll(eval.stepIntermediates());
        tmp.add(scores);
        tmp.add(probs);
        return new Mixed(r, mixed, yt, ys, teacher, tmp);
    }
}
