package org.slimlab.smmix;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.nn.VisionTransformer;

import java.util.Map;

/**
 * SMMix's training objective (step 6 of METHODS.md §5; Chen et al., ICCV 2023, arXiv 2212.12977) on a mixed batch:
 * <ul>
 *   <li>{@code L_cls}: soft cross-entropy of the CLS head against the mixed label (the trainer's labels);</li>
 *   <li>{@code L_fine = 1/2 [CE(h(mean of output tokens in the target mask), y_t) + CE(h(mean in the source mask), y_s)]}
 *       with {@code h} the ViT's separate token head;</li>
 *   <li>{@code L_con = KL(lambda softmax(z_t) + (1 - lambda) softmax(z_s) || softmax(z_mixed))}, the mixed teacher
 *       probabilities from the model itself on the unmixed images (eval mode, no gradient), fed as constants.</li>
 * </ul>
 * Loss = {@code L_cls + fineWeight L_fine + conWeight L_con}; a zero weight leaves its term out of the graph (the
 * ablations). Set the per-batch inputs with {@link #batch} before each pass; one instance per run (graphs are cached
 * per objective).
 */
public final class SMMixLoss implements Objective {

    static final String SOURCE_MASK = "smmix_source_mask", Y_TARGET = "smmix_y_target", Y_SOURCE = "smmix_y_source",
            TEACHER = "smmix_teacher_probs";

    private final VisionTransformer vit;
    private final int patches, classes;
    private final double fineWeight, conWeight;
    private INDArray sourceMask, yTarget, ySource, teacher;

    private SMMixLoss(Model model, double fineWeight, double conWeight) {
        if (!(model.root() instanceof VisionTransformer v))
            throw new IllegalArgumentException("SMMix needs a vision transformer (attention and output tokens); "
                    + model.name() + " is a " + model.root().type());
        if (fineWeight != 0 && v.tokenHead() == null)
            throw new IllegalArgumentException("L_fine needs a ViT with a token head: build it with tokenHead = true "
                    + "(VisionTransformers.tiny(..., true)) or set the fine weight to 0");
        this.vit = v;
        this.patches = v.patchEmbed().patches();
        this.classes = model.classes();
        this.fineWeight = fineWeight;
        this.conWeight = conWeight;
    }

    /** The objective for {@code model} (a ViT) with the weights of L_fine and L_con (1 and 1 in the paper). */
    public static SMMixLoss of(Model model, double fineWeight, double conWeight) { return new SMMixLoss(model, fineWeight, conWeight); }

    public double fineWeight() { return fineWeight; }
    public double conWeight() { return conWeight; }

    /**
     * The inputs of the next pass: the source-token mask {@code [B, N]}, the smoothed targets of the target and source
     * images {@code [B, classes]} and the teacher's mixed probabilities {@code [B, classes]} (unused terms may be null).
     */
    public SMMixLoss batch(INDArray sourceMask, INDArray yTarget, INDArray ySource, INDArray teacherProbs) {
        this.sourceMask = sourceMask;
        this.yTarget = yTarget;
        this.ySource = ySource;
        this.teacher = teacherProbs;
        return this;
    }

    @Override
    public SDVariable loss(Graph g, SDVariable logits, SDVariable labels) {
        SameDiff sd = g.sd();
        SDVariable loss = Losses.crossEntropy(sd, logits, labels);
        if (fineWeight != 0) {
            SDVariable tokens = sd.getVariable(VisionTransformer.TOKENS);
            SDVariable patchTokens = tokens.get(SDIndex.all(), SDIndex.interval(1, 1 + patches), SDIndex.all());   // [B, N, D]
            SDVariable src = g.extraInput(SOURCE_MASK, patches), tgt = src.rsub(1.0);
            Module head = vit.tokenHead();
            SDVariable zt = head.forward(g, maskedMean(patchTokens, tgt, patches)),
                    zs = head.forward(g, maskedMean(patchTokens, src, patches));
            SDVariable fine = Losses.crossEntropy(sd, zt, g.extraInput(Y_TARGET, classes))
                    .add(Losses.crossEntropy(sd, zs, g.extraInput(Y_SOURCE, classes))).mul(0.5);
            loss = loss.add(fine.mul(fineWeight));
        }
        if (conWeight != 0) {
            SDVariable p = Losses.stopGradient(sd, g.extraInput(TEACHER, classes));
            SDVariable kl = p.mul(sd.math().log(p.add(1e-12)).sub(Losses.logSoftmax(sd, logits))).sum(1).mean();
            loss = loss.add(kl.mul(conWeight));
        }
        return loss;
    }

    /** Mean over the tokens where {@code mask} ({@code [B, N]}) is 1: {@code [B, N, D] -> [B, D]}. */
    static SDVariable maskedMean(SDVariable tokens, SDVariable mask, int n) {
        SDVariable m = mask.reshape(-1, n, 1);
        return tokens.mul(m).sum(1).div(mask.sum(true, 1));
    }

    @Override
    public Map<String, INDArray> feed(INDArray x, INDArray labels) {
        Map<String, INDArray> m = new java.util.HashMap<>();
        if (fineWeight != 0) {
            require(sourceMask, "source mask", x, patches);
            require(yTarget, "target labels", x, classes);
            require(ySource, "source labels", x, classes);
            m.put(SOURCE_MASK, sourceMask);
            m.put(Y_TARGET, yTarget);
            m.put(Y_SOURCE, ySource);
        }
        if (conWeight != 0) {
            require(teacher, "teacher probabilities", x, classes);
            m.put(TEACHER, teacher);
        }
        return m;
    }

    private static void require(INDArray a, String what, INDArray x, long width) {
        if (a == null) throw new IllegalStateException("SMMixLoss: set the " + what + " with batch(...) before the pass");
        if (a.size(0) != x.size(0) || a.size(1) != width)
            throw new IllegalArgumentException("SMMixLoss: " + what + " " + java.util.Arrays.toString(a.shape())
                    + " do not fit a batch of " + x.size(0) + " (width " + width + ")");
    }
}
