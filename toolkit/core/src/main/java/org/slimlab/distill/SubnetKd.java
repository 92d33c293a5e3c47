package org.slimlab.distill;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;

import java.util.Map;

/**
 * {@code weight * KL(softmax(t) || softmax(z_sub))} with the target logits {@code t} fed per pass and treated as
 * constants (stop-gradient): the distillation term of Stimulative Training (arXiv 2210.04153), STP
 * (arXiv 2403.06417) and GKT (arXiv 2308.13772), where t is the detached main-net logits or a group's knowledge.
 * Set the target with {@link #target} before each pass; one instance per run (graphs are cached per objective).
 */
public final class SubnetKd implements Objective {

    static final String TARGET = "kd_target";
    private final double weight, temperature;
    private INDArray target;

    private SubnetKd(double weight, double temperature) {
        this.weight = weight;
        this.temperature = temperature;
    }

    public static SubnetKd of(double weight) { return new SubnetKd(weight, 1); }

    public static SubnetKd of(double weight, double temperature) { return new SubnetKd(weight, temperature); }

    public double weight() { return weight; }

    /** The target logits of the next pass ([batch, classes]). */
    public SubnetKd target(INDArray logits) {
        this.target = logits;
        return this;
    }

    @Override
    public SDVariable loss(Graph g, SDVariable logits, SDVariable labels) {
        SDVariable t = Losses.stopGradient(g.sd(), g.extraInput(TARGET, classes(g)));
        return Losses.klDivergence(g.sd(), t, logits, temperature).mul(weight);
    }

    private static long classes(Graph g) {
        var nodes = g.trace().nodes();
        return nodes.get(nodes.size() - 1).out().numel();
    }

    @Override
    public Map<String, INDArray> feed(INDArray x, INDArray labels) {
        if (target == null) throw new IllegalStateException("SubnetKd: set the target logits before the pass");
        if (target.size(0) != x.size(0))
            throw new IllegalArgumentException("target logits have " + target.size(0) + " rows for a batch of " + x.size(0));
        return Map.of(TARGET, target);
    }
}
