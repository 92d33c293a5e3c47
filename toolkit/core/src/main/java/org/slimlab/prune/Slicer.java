package org.slimlab.prune;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.BatchNorm2d;
import org.slimlab.nn.Conv2d;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.nn.Slicing;
import org.slimlab.nn.Trace;

/**
 * Physical pruning: a new, smaller model whose convs, BNs and linears hold only the kept channels (weights copied).
 * MACs and params are then counted on the network that is actually evaluated.
 */
public final class Slicer {

    private Slicer() {}

    /** The sliced copy of {@code model} under {@code plan}. */
    public static Model slice(Model model, PruningPlan plan) {
        Trace t = model.trace();
        Module root = model.root().mapLeaves(leaf -> {
            Trace.Node n = t.node(leaf);
            if (n == null) return leaf.copy();
            int[] in = plan.kept(t.space(n.in().space())), out = plan.kept(t.space(n.out().space()));
            if (leaf instanceof Conv2d c) return c.slice(in, out);
            if (leaf instanceof BatchNorm2d b) return b.slice(in);
            if (leaf instanceof Linear l) return l.slice(Slicing.expand(in, (int) n.in().perChannel()), out);
            return leaf.copy();
        });
        return new Model(model.name() + "-pruned", root, model.inputShape());
    }

    /**
     * Max |logit difference| on {@code x} between {@code model} with hard masks of {@code plan} and its sliced copy
     * (both with {@code model}'s BN statistics, eval mode): 0 up to float rounding when slicing is right.
     */
    public static double maxDifferenceToMasked(Model model, PruningPlan plan, INDArray x) {
        INDArray masked = Graphs.build(model, Graph.Mode.EVAL, null, new HardMasks(ChannelGroups.of(model), plan), plan, r -> true).logits(x);
        INDArray sliced = slice(model, plan).predict(x);
        return masked.castTo(DataType.DOUBLE).sub(sliced.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
