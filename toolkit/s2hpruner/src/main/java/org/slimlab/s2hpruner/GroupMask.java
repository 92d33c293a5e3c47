package org.slimlab.s2hpruner;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slimlab.graph.Graph;
import org.slimlab.nn.Param;
import org.slimlab.prune.ChannelGroup;
import org.slimlab.prune.Importance;

/**
 * The differentiable width of one channel group (S2HPruner, "S2HPruner: Soft-to-Hard Distillation Bridges the
 * Discretization Gap in Pruning", Lin et al., NeurIPS 2024, arXiv 2410.07046; METHODS.md §1 steps 1-4). The
 * group's C channels, ordered by filter L1 norm (largest first), are cut into K chunks of d channels; candidate widths are {@code c_k = min(k d, C)}. Mask logits
 * {@code u} (K values) give {@code p = softmax(u / tau)}; the soft mask of a channel in chunk j is
 * {@code w_j = sum_{k >= j} p_k} (the probability that the width reaches it); the expected width is
 * {@code E = sum_k p_k c_k}; the hard width is {@code n = min(C, d ceil(E / d))} and the hard mask keeps the top-n
 * channels by L1.
 * <p>
 * In a graph, {@code u} is a trainable variable; the channel order enters as a constant {@code [K, C]} matrix
 * {@code M[k, c] = 1 if k >= chunk(rank(c))}, so that the soft mask is the single product {@code p M}. The order
 * matrix and the 0/1 hard mask are buffers refreshed in place by {@link #refresh()} (every graph sees them without
 * a rebuild).
 */
public final class GroupMask {

    private final ChannelGroup group;
    private final int chunk, chunks;
    private final double tau;
    private final Param logits, order, hard;
    private final INDArray widths;

    GroupMask(ChannelGroup group, int chunk, double tau, double initMass, DataType dtype) {
        if (chunk < 1) throw new IllegalArgumentException("chunk size must be >= 1, got " + chunk);
        if (tau <= 0) throw new IllegalArgumentException("temperature tau must be > 0, got " + tau);
        if (initMass <= 0 || initMass >= 1) throw new IllegalArgumentException("initial full-width probability must be in (0, 1), got " + initMass);
        this.group = group;
        this.chunk = Math.min(chunk, group.channels());
        this.chunks = (group.channels() + this.chunk - 1) / this.chunk;
        this.tau = tau;
        int c = group.channels();
        double[] w = new double[chunks];
        for (int k = 0; k < chunks; k++) w[k] = Math.min((k + 1L) * this.chunk, c);
        this.widths = Nd4j.createFromArray(w).castTo(dtype);
        // most mass on the full width: p_K = initMass, the rest spread evenly (logit gap tau*log(initMass (K-1) / (1 - initMass)))
        INDArray u = Nd4j.zeros(dtype, chunks);
        if (chunks > 1) u.putScalar(chunks - 1, tau * Math.log(initMass * (chunks - 1) / (1 - initMass)));
        this.logits = new Param("s2h_u_" + group.id(), Param.Kind.OTHER, u);
        this.order = new Param("s2h_order_" + group.id(), Param.Kind.BUFFER, Nd4j.zeros(dtype, chunks, c));
        this.hard = new Param("s2h_hard_" + group.id(), Param.Kind.BUFFER, Nd4j.ones(dtype, c));
        refresh();
    }

    public ChannelGroup group() { return group; }

    /** Channels per chunk (d). */
    public int chunk() { return chunk; }

    /** Number of candidate widths (K). */
    public int chunks() { return chunks; }

    /** The mask logits u (a trainable tensor of its own, not a model parameter). */
    public Param logits() { return logits; }

    /** p = softmax(u / tau), as numbers. */
    public INDArray probabilities() {
        return Transforms.softmax(logits.value().castTo(DataType.DOUBLE).reshape(1, chunks).div(tau), true).reshape(chunks);
    }

    /** E = sum_k p_k c_k. */
    public double expectedWidth() {
        return probabilities().mul(widths.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
    }

    /** n = min(C, d ceil(E / d)), at least one chunk (a tiny tolerance keeps E = k d from rounding up). */
    public int hardWidth() {
        double e = expectedWidth();
        int n = (int) (chunk * Math.ceil(e / chunk - 1e-6));
        return Math.max(Math.min(n, group.channels()), Math.min(chunk, group.channels()));
    }

    /** The top-{@link #hardWidth()} channels by current filter L1 norm (sorted indices). */
    public int[] hardKeep() { return Importance.topK(Importance.l1(group), hardWidth()); }

    /**
     * Recomputes the channel order from the current weights (L1, largest first) and the hard width from the
     * current logits, writing both into the buffers the graphs read.
     */
    public void refresh() {
        int c = group.channels();
        int[] byL1 = Importance.order(Importance.l1(group));
        double[] chunkOf = new double[c];
        for (int r = 0; r < c; r++) chunkOf[byL1[r]] = r / chunk;
        INDArray ch = Nd4j.createFromArray(chunkOf).reshape(1, c).broadcast(chunks, c);
        INDArray k = Nd4j.arange(chunks).castTo(DataType.DOUBLE).reshape(chunks, 1).broadcast(chunks, c);
        order.value().assign(k.sub(ch).gte(-0.5).castTo(order.value().dataType()));
        int n = hardWidth();
        double[] h = new double[c];
        for (int r = 0; r < n; r++) h[byL1[r]] = 1;
        hard.value().assign(Nd4j.createFromArray(h).castTo(hard.value().dataType()));
    }

    /** The soft mask {@code [1, C]} in channel order: {@code softmax(u / tau) M}. */
    SDVariable softMask(Graph g) {
        return probabilities(g).mmul(g.buffer(order));
    }

    /** The 0/1 hard mask {@code [C]} (a buffer). */
    SDVariable hardMask(Graph g) { return g.buffer(hard); }

    /** E / C as a {@code [1, 1]} variable, differentiable in u. */
    SDVariable expectedRatio(Graph g) {
        SDVariable w = g.sd().constant(widths.reshape(chunks, 1).div(group.channels()).castTo(g.dtype()));
        return probabilities(g).mmul(w);
    }

    private SDVariable probabilities(Graph g) {
        return g.sd().nn().softmax(g.var(logits).reshape(1, chunks).div(tau), 1);
    }

    /** The current hard mask values (channel order), a copy. */
    public INDArray hardMaskValues() { return hard.value().dup(); }

    @Override
    public String toString() {
        return String.format("%s: K=%d x d=%d, E=%.2f, hard %d", group.label(), chunks, chunk, expectedWidth(), hardWidth());
    }
}
