package org.slimlab.s2hpruner;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;

import java.util.Map;

/**
 * S2HPruner's hard-to-soft term ("S2HPruner: Soft-to-Hard Distillation Bridges the Discretization Gap in Pruning" (Lin et al., NeurIPS 2024, arXiv 2410.07046), METHODS.md §1 step 7):
 * {@code G_u = alpha * KL(softmax(s) || sg[softmax(h)])}, the soft network's logits {@code s} live, the hard
 * network's logits {@code h} fed per pass as constants. Built on the soft graph; the training step takes only the
 * mask logits' gradients from it (the decoupling), unless an ablation says otherwise. Set {@link #target} before
 * each pass; one instance per run.
 */
public final class HardToSoftKd implements Objective {

    static final String HARD_LOGITS = "s2h_hard_logits";
    private final double alpha;
    private INDArray hardLogits;

    public HardToSoftKd(double alpha) { this.alpha = alpha; }

    /** The hard network's logits of the next pass ({@code [batch, classes]}). */
    public HardToSoftKd target(INDArray logits) {
        this.hardLogits = logits;
        return this;
    }

    @Override
    public SDVariable loss(Graph g, SDVariable logits, SDVariable labels) {
        var nodes = g.trace().nodes();
        SDVariable h = Losses.stopGradient(g.sd(), g.extraInput(HARD_LOGITS, nodes.get(nodes.size() - 1).out().numel()));
        return Losses.klDivergence(g.sd(), logits, h, 1.0).mul(alpha);
    }

    @Override
    public Map<String, INDArray> feed(INDArray x, INDArray labels) {
        if (hardLogits == null) throw new IllegalStateException("HardToSoftKd: set the hard network's logits before the pass");
        if (hardLogits.size(0) != x.size(0))
            throw new IllegalArgumentException("hard logits have " + hardLogits.size(0) + " rows for a batch of " + x.size(0));
        return Map.of(HARD_LOGITS, hardLogits);
    }
}
