package org.slimlab.s2hpruner;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.ChannelMasks;
import org.slimlab.graph.Graph;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.nn.Param;
import org.slimlab.nn.Trace;
import org.slimlab.prune.ChannelGroup;
import org.slimlab.prune.ChannelGroups;
import org.slimlab.prune.PruningPlan;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The differentiable widths of every prunable channel group of a model (S2HPruner, "S2HPruner: Soft-to-Hard Distillation Bridges the Discretization Gap in Pruning" (Lin et al., NeurIPS 2024, arXiv 2410.07046)): one
 * {@link GroupMask} per group, the soft and the hard {@link ChannelMasks} built from them (same model, same
 * weights: the soft network multiplies each group's channels by its soft mask, the hard network by its 0/1 mask of
 * the top-n channels), and the differentiable MACs of the soft network, {@code F_soft}, counted with expected
 * channel counts: each conv/linear contributes its full MACs times {@code (E_in / C_in) (E_out / C_out)}.
 * <pre>{@code
 * var masks = S2HMasks.of(net, 1, 1.0, 0.9);
 * masks.refresh();                                  // L1 order and hard widths from the current state
 * Graphs.build(net, EVAL, null, masks.soft(), "soft", r -> true);
 * masks.plan();                                     // the hard widths as a pruning plan (Slicer.slice)
 * }</pre>
 */
public final class S2HMasks {

    private final Model model;
    private final int chunk;
    private final double tau, initMass;
    private final List<GroupMask> masks = new ArrayList<>();
    private final Map<Module, GroupMask> byPoint = new IdentityHashMap<>();
    private final Map<Integer, GroupMask> bySpace = new HashMap<>();
    private final ChannelMasks soft = this::applySoft, hard = this::applyHard;

    private S2HMasks(Model model, int chunk, double tau, double initMass) {
        this.model = model;
        this.chunk = chunk;
        this.tau = tau;
        this.initMass = initMass;
        List<ChannelGroup> groups = ChannelGroups.of(model);
        if (groups.isEmpty()) throw new IllegalArgumentException(model.name() + " has no prunable channel groups");
        for (ChannelGroup g : groups) {
            GroupMask m = new GroupMask(g, chunk, tau, initMass, model.dtype());
            masks.add(m);
            bySpace.put(g.id(), m);
            for (Module p : g.maskPoints()) byPoint.put(p, m);
        }
    }

    /**
     * Masks for every prunable group of {@code model}: chunks of {@code chunk} channels, temperature {@code tau},
     * probability {@code initMass} on the full width at the start.
     */
    public static S2HMasks of(Model model, int chunk, double tau, double initMass) {
        return new S2HMasks(model, chunk, tau, initMass);
    }

    /**
     * The same widths on {@code copy}, a copy of this model (same architecture and weights): logits copied, order
     * and hard masks recomputed from the copy's weights.
     */
    public S2HMasks copyTo(Model copy) {
        S2HMasks m = new S2HMasks(copy, chunk, tau, initMass);
        if (m.masks.size() != masks.size()) throw new IllegalArgumentException(copy.name() + " is not a copy of " + model.name());
        for (int i = 0; i < masks.size(); i++) m.masks.get(i).logits().value().assign(masks.get(i).logits().value());
        m.refresh();
        return m;
    }

    public Model model() { return model; }

    public List<GroupMask> groups() { return List.copyOf(masks); }

    /** The mask logits of every group (the parameters the mask optimizer owns). */
    public List<Param> logits() { return masks.stream().map(GroupMask::logits).toList(); }

    /** Soft masks: channels scaled by {@code w_j = P(width >= c_j)}. */
    public ChannelMasks soft() { return soft; }

    /** Hard masks: the top-n channels by L1 kept (equivalent to slicing; no gradient to u). */
    public ChannelMasks hard() { return hard; }

    /** Recomputes every group's L1 order and hard width (call before each step's passes). */
    public void refresh() { masks.forEach(GroupMask::refresh); }

    /** The hard network's plan: top-n channels by L1 per group. */
    public PruningPlan plan() {
        PruningPlan p = new PruningPlan();
        for (GroupMask m : masks) p.keep(m.group(), m.hardKeep());
        return p;
    }

    /**
     * {@code F_soft / F_full} as a graph variable ({@code [1, 1]}), differentiable in the mask logits: the MACs of
     * the soft network with expected channel counts over the dense network's MACs.
     */
    public SDVariable expectedMacsRatio(Graph g) {
        Trace t = model.trace();
        Map<Integer, SDVariable> ratio = new HashMap<>();
        SDVariable total = null;
        double constant = 0;
        for (Trace.Node n : t.nodes()) {
            if (n.macs() == 0) continue;
            SDVariable in = ratio(g, ratio, t.space(n.in().space())), out = ratio(g, ratio, t.space(n.out().space()));
            double share = n.macs() / (double) model.macs();
            if (in == null && out == null) { constant += share; continue; }
            SDVariable term = in == null ? out : out == null ? in : in.mul(out);
            term = term.mul(share);
            total = total == null ? term : total.add(term);
        }
        if (total == null) throw new IllegalStateException("no layer of " + model.name() + " depends on a prunable group");
        return constant == 0 ? total : total.add(constant);
    }

    private SDVariable ratio(Graph g, Map<Integer, SDVariable> cache, int space) {
        GroupMask m = bySpace.get(space);
        if (m == null) return null;
        return cache.computeIfAbsent(space, s -> m.expectedRatio(g));
    }

    /** {@code F_soft / F_full} computed from the current logits (the same formula, as a number). */
    public double expectedMacsRatio() {
        Trace t = model.trace();
        double r = 0;
        for (Trace.Node n : t.nodes()) {
            if (n.macs() == 0) continue;
            r += n.macs() / (double) model.macs() * ratio(t.space(n.in().space())) * ratio(t.space(n.out().space()));
        }
        return r;
    }

    /** MACs of the hard network over the dense network's (what slicing at the current widths gives). */
    public double hardMacsRatio() {
        Trace t = model.trace();
        double r = 0;
        for (Trace.Node n : t.nodes())
            r += n.macs() / (double) model.macs() * hardRatio(t.space(n.in().space())) * hardRatio(t.space(n.out().space()));
        return r;
    }

    private double ratio(int space) {
        GroupMask m = bySpace.get(space);
        return m == null ? 1 : m.expectedWidth() / m.group().channels();
    }

    private double hardRatio(int space) {
        GroupMask m = bySpace.get(space);
        return m == null ? 1 : m.hardWidth() / (double) m.group().channels();
    }

    /** Per group: channels, chunk size, expected width, hard width and the full-width probability. */
    public Table widths() {
        StringColumn name = StringColumn.create("group");
        IntColumn c = IntColumn.create("channels"), d = IntColumn.create("chunk"), n = IntColumn.create("hard_width");
        DoubleColumn e = DoubleColumn.create("expected_width"), pk = DoubleColumn.create("p_full");
        for (GroupMask m : masks) {
            name.append(m.group().label());
            c.append(m.group().channels());
            d.append(m.chunk());
            e.append(m.expectedWidth());
            n.append(m.hardWidth());
            pk.append(m.probabilities().getDouble(m.chunks() - 1));
        }
        return Table.create("S2HPruner widths", name, c, d, e, n, pk);
    }

    private SDVariable applySoft(Graph g, Module producer, SDVariable y) {
        GroupMask m = byPoint.get(producer);
        if (m == null) return y;
        return y.mul(shape(m.softMask(g), producer, m.group().channels()));
    }

    private SDVariable applyHard(Graph g, Module producer, SDVariable y) {
        GroupMask m = byPoint.get(producer);
        if (m == null) return y;
        return y.mul(shape(m.hardMask(g), producer, m.group().channels()));
    }

    private static SDVariable shape(SDVariable mask, Module producer, int channels) {
        return producer instanceof Linear ? mask.reshape(1, channels) : mask.reshape(1, channels, 1, 1);
    }
}
