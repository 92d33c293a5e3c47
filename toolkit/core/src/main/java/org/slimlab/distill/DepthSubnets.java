package org.slimlab.distill;

import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.nn.Residual;
import org.slimlab.nn.Sequential;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The depth-subnet space of a residual network: its stages (sequences of residual blocks) and, per stage, which
 * blocks may be dropped (identity shortcut; downsampling blocks, stem and head always run). A prefix subnet keeps
 * the first {@code d_s} blocks of stage s, as in Stimulative Training (Ye et al., NeurIPS 2022, arXiv 2210.04153).
 * <pre>{@code
 * var space = DepthSubnets.of(resnet20());      // 3 stages x 3 blocks: 27 prefix subnets
 * Subnet s = space.prefix(1, 2, 3);
 * }</pre>
 */
public final class DepthSubnets {

    private final List<List<Residual>> stages;

    private DepthSubnets(List<List<Residual>> stages) { this.stages = stages; }

    /** Finds the stages: every Sequential whose children are residual blocks, in forward order. */
    public static DepthSubnets of(Model model) {
        List<List<Residual>> stages = new ArrayList<>();
        collect(model.root(), stages);
        if (stages.isEmpty()) throw new IllegalArgumentException(model.name() + " has no residual stages: depth subnets need a residual network");
        return new DepthSubnets(stages);
    }

    private static void collect(Module m, List<List<Residual>> out) {
        if (m instanceof Sequential s && !s.children().isEmpty() && s.children().stream().allMatch(c -> c instanceof Residual)) {
            out.add(s.children().stream().map(c -> (Residual) c).toList());
            return;
        }
        for (Module c : m.children()) collect(c, out);
    }

    public int stageCount() { return stages.size(); }

    /** Blocks of stage {@code s} in forward order. */
    public List<Residual> stage(int s) { return stages.get(s); }

    /** Every droppable block, in forward order. */
    public List<Residual> droppable() {
        List<Residual> d = new ArrayList<>();
        for (List<Residual> st : stages) for (Residual r : st) if (r.droppable()) d.add(r);
        return d;
    }

    /** Smallest depth of stage s a prefix subnet may have (blocks before the first droppable one always run). */
    public int minDepth(int s) {
        List<Residual> st = stages.get(s);
        int first = 0;
        while (first < st.size() && !st.get(first).droppable()) first++;
        return Math.max(1, first);
    }

    /** The subnet that keeps the first {@code depths[s]} blocks of each stage. */
    public Subnet prefix(int... depths) {
        if (depths.length != stages.size()) throw new IllegalArgumentException("need one depth per stage (" + stages.size() + "), got " + depths.length);
        Set<Residual> kept = new LinkedHashSet<>();
        for (int s = 0; s < stages.size(); s++) {
            List<Residual> st = stages.get(s);
            if (depths[s] < minDepth(s) || depths[s] > st.size())
                throw new IllegalArgumentException("stage " + s + " depth must be in [" + minDepth(s) + ", " + st.size() + "], got " + depths[s]);
            for (int b = 0; b < depths[s]; b++) kept.add(st.get(b));
        }
        return Subnet.depth(kept);
    }

    /** Every residual block of the stages (droppable or not), in forward order. */
    public List<Residual> blocks() {
        List<Residual> all = new ArrayList<>();
        for (List<Residual> st : stages) all.addAll(st);
        return all;
    }

    /** How many residual blocks a subnet of this space runs (the always-run ones included). */
    public int depth(Subnet s) {
        return (int) blocks().stream().filter(r -> !r.droppable() || s.keep().test(r)).count();
    }

    /** A uniformly random prefix subnet (each stage depth uniform in [minDepth, blocks]). */
    public Subnet randomPrefix(java.util.Random rng) {
        int[] d = new int[stages.size()];
        for (int s = 0; s < d.length; s++) d[s] = minDepth(s) + rng.nextInt(stages.get(s).size() - minDepth(s) + 1);
        return prefix(d);
    }

    /** Every prefix subnet (the product of stage depths), the full network last. */
    public List<int[]> allPrefixDepths() {
        List<int[]> all = new ArrayList<>();
        all.add(new int[0]);
        for (int s = 0; s < stages.size(); s++) {
            List<int[]> next = new ArrayList<>();
            for (int[] p : all)
                for (int d = minDepth(s); d <= stages.get(s).size(); d++) {
                    int[] q = java.util.Arrays.copyOf(p, p.length + 1);
                    q[p.length] = d;
                    next.add(q);
                }
            all = next;
        }
        return all;
    }
}
