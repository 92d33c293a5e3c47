package org.slimlab.s2hpruner;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;

/**
 * The soft network's loss in S2HPruner ("S2HPruner: Soft-to-Hard Distillation Bridges the Discretization Gap in Pruning" (Lin et al., NeurIPS 2024, arXiv 2410.07046), METHODS.md §1 steps 6-7):
 * {@code ce * CE(s, y) + beta * R} with the resource loss {@code R = (F_soft / F_full - T)^2}, F_soft the MACs of
 * the soft network with expected channel counts (differentiable in the mask logits). Build the soft graph with
 * {@link S2HMasks#soft()} as its masks; one instance per run (graphs are cached per objective).
 */
public final class SoftObjective implements Objective {

    private final S2HMasks masks;
    private final double ce, beta, target;

    public SoftObjective(S2HMasks masks, double ce, double beta, double target) {
        if (target <= 0 || target > 1) throw new IllegalArgumentException("target MACs ratio must be in (0, 1], got " + target);
        this.masks = masks;
        this.ce = ce;
        this.beta = beta;
        this.target = target;
    }

    @Override
    public SDVariable loss(Graph g, SDVariable logits, SDVariable labels) {
        SDVariable r = resource(g);
        SDVariable loss = r.mul(beta);
        return ce == 0 ? loss : Losses.crossEntropy(g.sd(), logits, labels).mul(ce).add(loss);
    }

    /** {@code R = (F_soft / F_full - T)^2} as a scalar variable. */
    public SDVariable resource(Graph g) {
        SDVariable d = masks.expectedMacsRatio(g).sub(target);
        return d.mul(d).sum();
    }

    public double target() { return target; }
}
