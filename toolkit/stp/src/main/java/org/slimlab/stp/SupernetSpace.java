package org.slimlab.stp;

import org.slimlab.distill.DepthSubnets;
import org.slimlab.distill.Subnet;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.nn.Residual;
import org.slimlab.nn.Trace;
import org.slimlab.prune.ChannelGroup;
import org.slimlab.prune.ChannelGroups;
import org.slimlab.prune.Importance;
import org.slimlab.prune.PruningPlan;
import org.slimlab.prune.Slicer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The weight-sharing supernet space of STP ("Structured pruning via stimulative training", arXiv 2403.06417,
 * ECCV 2024): in width, each channel group (convs tied by residual adds share one) keeps its {@code k} L1-largest
 * chunks of channels, {@code k = 1..K}; in depth, each residual stage keeps a prefix of its blocks (the depth space
 * of Stimulative Training, {@link DepthSubnets}). The channel order is recomputed from the current filter L1 norms
 * each time a subnet is produced, so the kept channels follow training.
 * <p>Width subnets are installed as in-place channel masks: all subnets of one depth share one compiled graph. The
 * space's masks hold the widths of the subnet produced last, so run a subnet before producing the next one.
 * <pre>{@code
 * var space = SupernetSpace.of(net, 4);           // 4 chunks per channel group
 * Subnet s = space.subnet(space.random(rng));      // for StimulativeTraining / distil
 * Model small = space.extract(arch);               // physically sliced, dropped blocks removed
 * }</pre>
 */
public final class SupernetSpace {

    private final Model model;
    private final List<ChannelGroup> groups;
    private final int chunks;
    private final DepthSubnets depth;   // null when the model has no residual stages
    private final WidthMasks masks;
    private final Map<Integer, Integer> groupOfSpace = new java.util.HashMap<>();

    private SupernetSpace(Model model, int chunks) {
        if (chunks < 1) throw new IllegalArgumentException("chunks per group must be >= 1, got " + chunks);
        this.model = model;
        this.groups = ChannelGroups.of(model);
        this.chunks = chunks;
        DepthSubnets d;
        try {
            d = DepthSubnets.of(model);
        } catch (IllegalArgumentException e) {
            d = null;   // no residual stages: a width-only space
        }
        this.depth = d;
        if (groups.isEmpty() && depth == null) throw new IllegalArgumentException(model.name() + " has neither prunable channel groups nor residual stages");
        for (ChannelGroup g : groups)
            if (g.channels() < chunks)
                throw new IllegalArgumentException(g.label() + " has fewer channels than the " + chunks + " chunks asked for");
        this.masks = new WidthMasks(groups, model.dtype());
        for (int i = 0; i < groups.size(); i++) groupOfSpace.put(groups.get(i).id(), i);
    }

    /** The space of {@code model} with {@code chunks} L1-ordered chunks per channel group. */
    public static SupernetSpace of(Model model, int chunks) { return new SupernetSpace(model, chunks); }

    public Model model() { return model; }

    public List<ChannelGroup> groups() { return groups; }

    public int chunks() { return chunks; }

    public int stageCount() { return depth == null ? 0 : depth.stageCount(); }

    /** Candidate widths of group {@code g}: {@code round(k C / K)}, k = 1..K, ascending. */
    public int[] widthChoices(int g) {
        int c = groups.get(g).channels();
        int[] w = new int[chunks];
        for (int k = 1; k <= chunks; k++) w[k - 1] = (int) Math.round(k * (double) c / chunks);
        return w;
    }

    /** Smallest and largest depth of stage {@code s}. */
    public int minDepth(int s) { return depth.minDepth(s); }

    public int maxDepth(int s) { return depth.stage(s).size(); }

    /** The whole network. */
    public Architecture full() {
        int[] w = groups.stream().mapToInt(ChannelGroup::channels).toArray();
        int[] d = new int[stageCount()];
        for (int s = 0; s < d.length; s++) d[s] = maxDepth(s);
        return new Architecture(w, d);
    }

    /** The smallest architecture of the space (one chunk per group, minimum depth per stage). */
    public Architecture smallest() {
        int[] w = new int[groups.size()];
        for (int g = 0; g < w.length; g++) w[g] = widthChoices(g)[0];
        int[] d = new int[stageCount()];
        for (int s = 0; s < d.length; s++) d[s] = minDepth(s);
        return new Architecture(w, d);
    }

    /** Every width and depth uniform over its choices (the ST sampling distribution). */
    public Architecture random(Random rng) { return mutant(smallest(), rng); }

    /**
     * Subnet mutating expansion: each width and depth uniform between {@code pruned}'s and the full network's
     * (inclusive), so the mutant lies between the pruned architecture and the full one.
     */
    public Architecture mutant(Architecture pruned, Random rng) {
        int[] w = new int[groups.size()];
        for (int g = 0; g < w.length; g++) {
            int[] choices = widthChoices(g);
            int lo = Math.max(0, Arrays.binarySearch(choices, pruned.width(g)));
            w[g] = choices[lo + rng.nextInt(choices.length - lo)];
        }
        int[] d = new int[stageCount()];
        for (int s = 0; s < d.length; s++) d[s] = pruned.depth(s) + rng.nextInt(maxDepth(s) - pruned.depth(s) + 1);
        return new Architecture(w, d);
    }

    /** One exploration move: a group shrunk by one chunk or a stage's last block removed. */
    public record Move(String dimension, int index, Architecture result) {}

    /**
     * Every architecture one chunk or one block smaller than {@code a} that costs fewer MACs (the exploration's
     * candidates; a group living only inside removed blocks is no candidate).
     */
    public List<Move> shrinkMoves(Architecture a) {
        List<Move> all = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            int[] choices = widthChoices(g);
            int at = Arrays.binarySearch(choices, a.width(g));
            if (at > 0) all.add(new Move("width", g, a.withWidth(g, choices[at - 1])));
        }
        for (int s = 0; s < stageCount(); s++)
            if (a.depth(s) > minDepth(s)) all.add(new Move("depth", s, a.withDepth(s, a.depth(s) - 1)));
        long now = macs(a);
        return all.stream().filter(m -> macs(m.result()) < now).toList();
    }

    /** Label of a move's dimension, e.g. {@code layer2.0.body.0 (16 ch)} or {@code stage 2 depth}. */
    public String label(Move m) {
        return m.dimension().equals("width") ? groups.get(m.index()).label() : "stage " + (m.index() + 1) + " depth";
    }

    /**
     * The subnet of {@code a}, sharing the model's weights: sets the space's masks to the L1-largest channels of each
     * group (current weights) and keeps the first {@code depths[s]} blocks of each stage. Valid until the next call.
     */
    public Subnet subnet(Architecture a) {
        check(a);
        PruningPlan plan = plan(a);
        for (int g = 0; g < groups.size(); g++) {
            int[] keep = plan.kept(groups.get(g).id());
            masks.set(g, keep == null ? allChannels(groups.get(g).channels()) : keep);
        }
        Set<Residual> kept = keptBlocks(a);
        return new Subnet(new DepthKey(Arrays.stream(a.depths()).boxed().toList()), kept::contains, masks);
    }

    /** The channels each group keeps under {@code a}: its {@code width} largest filters by L1 norm, now. */
    public PruningPlan plan(Architecture a) {
        check(a);
        PruningPlan p = new PruningPlan();
        for (int g = 0; g < groups.size(); g++)
            if (a.width(g) < groups.get(g).channels()) p.keep(groups.get(g), Importance.topK(Importance.l1(groups.get(g)), a.width(g)));
        return p;
    }

    /** The droppable blocks {@code a} keeps (identity set; non-droppable blocks always run). */
    public Set<Residual> keptBlocks(Architecture a) {
        Set<Residual> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        if (depth == null) return kept;
        for (int s = 0; s < stageCount(); s++)
            for (int b = 0; b < a.depth(s); b++) kept.add(depth.stage(s).get(b));
        return kept;
    }

    /**
     * MACs of {@code a}, counted symbolically from the full trace: each conv/linear outside a dropped block scales
     * by the kept fractions of its input and output groups. Equals {@code extract(a).macs()} (tested).
     */
    public long macs(Architecture a) {
        check(a);
        Set<Module> skipped = Collections.newSetFromMap(new IdentityHashMap<>());
        if (depth != null) {
            Set<Residual> kept = keptBlocks(a);
            for (Residual r : depth.droppable()) if (!kept.contains(r)) r.modules().forEach(skipped::add);
        }
        Trace t = model.trace();
        double total = 0;
        for (Trace.Node n : t.nodes()) {
            if (n.macs() == 0 || skipped.contains(n.module())) continue;
            total += n.macs() * fraction(a, t, n.in().space()) * fraction(a, t, n.out().space());
        }
        return Math.round(total);
    }

    /** {@code macs(a) / macs(full)}. */
    public double macsRatio(Architecture a) { return macs(a) / (double) model.macs(); }

    private double fraction(Architecture a, Trace t, int space) {
        Integer g = groupOfSpace.get(t.space(space));
        return g == null ? 1.0 : a.width(g) / (double) groups.get(g).channels();
    }

    /**
     * The physically compact network of {@code a}: channels sliced to the current L1-largest ones (weights copied),
     * dropped blocks removed. Its BN statistics are the supernet's: recalibrate before evaluating.
     */
    public Model extract(Architecture a) {
        Model sliced = Slicer.slice(model, plan(a));
        if (depth == null) return sliced;
        DepthSubnets slicedDepth = DepthSubnets.of(sliced);
        Set<Residual> drop = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int s = 0; s < stageCount(); s++)
            for (int b = a.depth(s); b < maxDepth(s); b++) drop.add(slicedDepth.stage(s).get(b));
        return BlockRemoval.without(sliced, drop);
    }

    /**
     * Max |logit difference| on {@code x} between the masked subnet of {@code a} (shared weights, eval mode) and its
     * extracted network (same BN statistics): 0 up to float rounding when masking, slicing and block removal agree.
     */
    public double maxDifferenceToExtracted(Architecture a, org.nd4j.linalg.api.ndarray.INDArray x) {
        var masked = subnet(a).evalGraph(model).logits(x).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        var extracted = extract(a).predict(x).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        return masked.sub(extracted).amaxNumber().doubleValue();
    }

    private void check(Architecture a) {
        if (a.widths().length != groups.size() || a.depths().length != stageCount())
            throw new IllegalArgumentException("architecture " + a + " does not fit this space (" + groups.size()
                    + " groups, " + stageCount() + " stages)");
        for (int g = 0; g < groups.size(); g++)
            if (Arrays.binarySearch(widthChoices(g), a.width(g)) < 0)
                throw new IllegalArgumentException("group " + groups.get(g).label() + " cannot have width " + a.width(g)
                        + "; choices " + Arrays.toString(widthChoices(g)));
        for (int s = 0; s < stageCount(); s++)
            if (a.depth(s) < minDepth(s) || a.depth(s) > maxDepth(s))
                throw new IllegalArgumentException("stage " + s + " depth must be in [" + minDepth(s) + ", " + maxDepth(s) + "], got " + a.depth(s));
    }

    private static int[] allChannels(int c) {
        int[] a = new int[c];
        for (int i = 0; i < c; i++) a[i] = i;
        return a;
    }

    /** Graph-cache key of a width+depth subnet: its depths (the widths live in the masks' values). */
    private record DepthKey(List<Integer> depths) {}
}
