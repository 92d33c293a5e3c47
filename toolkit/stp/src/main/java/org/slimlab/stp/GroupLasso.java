package org.slimlab.stp;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;
import org.slimlab.nn.BatchNorm2d;
import org.slimlab.nn.Conv2d;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.prune.ChannelGroup;
import org.slimlab.prune.ChannelGroups;
import org.slimlab.prune.Importance;

import java.util.List;

/**
 * Group lasso on the channels to drop, the "suppressed sparsification" baseline STP (arXiv 2403.06417) contrasts
 * with (structured sparsity learning, Wen et al. 2016, arXiv 1608.03665):
 * {@code CE + lambda sum_groups sum_{c dropped} sqrt(sum_producers ||W[.., c]||^2 + ||b_c||^2 + gamma_c^2 + beta_c^2)},
 * one lasso group per channel: its filters in every conv/linear of the channel group, their biases and the BN scale
 * and shift on it. The channels to drop are, per group, all but the {@code keepFraction} largest by filter L1 norm;
 * {@link #refresh()} recomputes them (call it before each step; the graph reads them in place).
 * <pre>{@code
 * var lasso = GroupLasso.of(net, 1e-2, StructuredPruner.l1(net, 0.15).keepFraction());
 * var graph = Graphs.train(net, lasso);
 * train(net).on(data).step((ctx, b) -> { lasso.refresh(); return ctx.standardStep(graph, b); }, "group lasso").fit();
 * }</pre>
 */
public final class GroupLasso implements Objective {

    private final double lambda, keepFraction;
    private final List<ChannelGroup> groups;
    private final WidthMasks dropped;

    private GroupLasso(Model model, double lambda, double keepFraction) {
        if (lambda < 0) throw new IllegalArgumentException("lambda must be >= 0, got " + lambda);
        if (keepFraction <= 0 || keepFraction > 1) throw new IllegalArgumentException("keep fraction must be in (0, 1], got " + keepFraction);
        this.lambda = lambda;
        this.keepFraction = keepFraction;
        this.groups = ChannelGroups.of(model);
        this.dropped = new WidthMasks(groups, model.dtype());
        refresh();
    }

    /** Group lasso on {@code model}'s channels outside the {@code keepFraction} L1-largest of each group. */
    public static GroupLasso of(Model model, double lambda, double keepFraction) { return new GroupLasso(model, lambda, keepFraction); }

    public double lambda() { return lambda; }

    /** Channels each group keeps: {@code max(1, round(f C))}, as {@code StructuredPruner} counts them. */
    public int kept(ChannelGroup g) { return Math.max(1, (int) Math.round(keepFraction * g.channels())); }

    /** Re-ranks channels by current filter L1 norm and marks all but the kept ones for the penalty. */
    public void refresh() {
        for (int i = 0; i < groups.size(); i++) {
            ChannelGroup g = groups.get(i);
            int[] keep = Importance.topK(Importance.l1(g), kept(g));
            boolean[] k = new boolean[g.channels()];
            for (int c : keep) k[c] = true;
            int[] drop = new int[g.channels() - keep.length];
            for (int c = 0, j = 0; c < g.channels(); c++) if (!k[c]) drop[j++] = c;
            dropped.set(i, drop);
        }
    }

    @Override
    public SDVariable loss(Graph g, SDVariable logits, SDVariable labels) {
        SDVariable loss = Losses.crossEntropy(g.sd(), logits, labels);
        if (lambda == 0) return loss;
        SDVariable penalty = null;
        for (ChannelGroup group : groups) {
            SDVariable sq = null;
            for (Module p : group.producers()) {
                if (g.trace().node(p) == null) continue;
                SDVariable s = p instanceof Conv2d c ? g.var(c.weight()).mul(g.var(c.weight())).sum(0, 1, 2)
                        : g.var(((Linear) p).weight()).mul(g.var(((Linear) p).weight())).sum(0);
                var bias = p instanceof Conv2d c ? c.bias() : ((Linear) p).bias();
                if (bias != null) s = s.add(g.var(bias).mul(g.var(bias)));
                sq = sq == null ? s : sq.add(s);
            }
            for (Module n : group.norms()) {
                if (g.trace().node(n) == null) continue;
                BatchNorm2d bn = (BatchNorm2d) n;
                SDVariable s = g.var(bn.gamma()).mul(g.var(bn.gamma())).add(g.var(bn.beta()).mul(g.var(bn.beta())));
                sq = sq == null ? s : sq.add(s);
            }
            if (sq == null) continue;
            INDArray mask = maskOf(group);
            SDVariable norms = g.sd().math().sqrt(sq.add(1e-12)).mul(g.sd().constant(mask)).sum();
            penalty = penalty == null ? norms : penalty.add(norms);
        }
        return penalty == null ? loss : loss.add(penalty.mul(lambda));
    }

    /** The in-place drop mask of a group (1 = penalised). */
    INDArray maskOf(ChannelGroup group) { return dropped.mask(groups.indexOf(group)); }

    @Override
    public String toString() { return String.format("group lasso (lambda %.2g, keep %.3f)", lambda, keepFraction); }
}
