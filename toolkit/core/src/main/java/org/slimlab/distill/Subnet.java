package org.slimlab.distill;

import org.slimlab.graph.ChannelMasks;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Objective;
import org.slimlab.nn.Model;
import org.slimlab.nn.Residual;

import java.util.Set;
import java.util.function.Predicate;

/**
 * A weight-sharing subnet of a model: which droppable residual blocks run ({@code keep}) and which channels run
 * ({@code masks}, null for all). {@code key} identifies the subnet's compiled graphs in the model's cache, so
 * sampling a subnet seen before costs no rebuild; equal keys must mean equal subnets.
 */
public record Subnet(Object key, Predicate<Residual> keep, ChannelMasks masks) {

    /** The whole network. */
    public static final Subnet FULL = new Subnet(null, r -> true, null);

    /** The depth subnet that runs exactly the droppable blocks in {@code kept} (others always run). */
    public static Subnet depth(Set<Residual> kept) {
        Set<Residual> k = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        k.addAll(kept);
        return new Subnet(new DepthKey(k), k::contains, null);
    }

    /** Whether this is the whole network. */
    public boolean isFull() { return key == null && masks == null; }

    /** This subnet's training graph with {@code objective} (cached on the model). */
    public Compiled trainGraph(Model model, Objective objective) {
        return Graphs.build(model, Graph.Mode.TRAIN, objective, masks, key, keep);
    }

    /** This subnet's inference graph (running BN statistics; cached on the model). */
    public Compiled evalGraph(Model model) {
        return Graphs.build(model, Graph.Mode.EVAL, null, masks, key, keep);
    }

    /** MACs of this subnet (depth only: channel masks are not reflected; slice the model to count widths). */
    public long macs(Model model) { return model.trace(keep).totalMacs(); }

    /** Identity-based set of kept blocks with value equality, so equal block sets share one cached graph. */
    private record DepthKey(Set<Residual> kept) {
        @Override public boolean equals(Object o) { return o instanceof DepthKey d && d.kept.equals(kept); }
        @Override public int hashCode() { return kept.stream().mapToInt(System::identityHashCode).sum(); }
    }
}
