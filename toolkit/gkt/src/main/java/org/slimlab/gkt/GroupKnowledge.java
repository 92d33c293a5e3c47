package org.slimlab.gkt;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * GKT's group knowledge for one iteration (arXiv 2308.13772): K_0 is the detached main-net logits and K_g, g >= 1,
 * the exponential moving average (momentum mu) of the detached logits of the subnets sampled at level g in this
 * iteration; the first sample of a level initialises it. A subnet at level g is distilled toward K_{g-1}. Every
 * array held here is a private copy, so the graphs' output buffers may be released after each pass.
 */
public final class GroupKnowledge implements AutoCloseable {

    private final double momentum;
    private final List<INDArray> levels = new ArrayList<>();

    public GroupKnowledge(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        this.momentum = momentum;
    }

    /** Starts an iteration: K_0 = a copy of the main net's logits, the other levels empty. */
    public GroupKnowledge start(INDArray mainLogits) {
        close();
        levels.add(mainLogits.dup());
        return this;
    }

    /** Folds a level-g subnet's logits into K_g: {@code K_g = mu K_g + (1 - mu) z}, or {@code K_g = z} if first. */
    public void add(int level, INDArray logits) {
        if (level < 1 || level > levels.size())
            throw new IllegalArgumentException("level " + level + " has no parent knowledge (levels known: 0.." + (levels.size() - 1) + ")");
        if (level == levels.size()) levels.add(logits.dup());
        else levels.get(level).muli(momentum).addi(logits.mul(1 - momentum));
    }

    /** The knowledge K_g (the target of level g+1). */
    public INDArray level(int g) {
        if (g < 0 || g >= levels.size()) throw new IllegalArgumentException("no knowledge at level " + g + " yet");
        return levels.get(g);
    }

    /** Levels known in this iteration (K_0 included). */
    public int size() { return levels.size(); }

    public double momentum() { return momentum; }

    /** Frees the held arrays. */
    @Override
    public void close() {
        for (INDArray a : levels) if (a.closeable()) a.close();
        levels.clear();
    }
}
