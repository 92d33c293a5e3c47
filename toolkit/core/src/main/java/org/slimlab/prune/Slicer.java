package org.slimlab.prune;

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
}
