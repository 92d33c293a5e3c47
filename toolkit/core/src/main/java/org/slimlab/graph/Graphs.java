package org.slimlab.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.slimlab.nn.Model;
import org.slimlab.nn.Residual;
import org.slimlab.nn.Trace;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Builds (and caches on the model) the SameDiff graph of a model for a mode, objective, mask set and depth subnet.
 * Everything the graph is built from is part of the cache key, so sampling a subnet or switching masks costs no
 * rebuild after the first time.
 */
public final class Graphs {

    /** Cache key; objective, masks and gate are compared by identity (or equals, for records). */
    public record Key(Graph.Mode mode, Objective objective, ChannelMasks masks, Object subnet) {}

    private Graphs() {}

    /** The inference graph of the whole model (running BN statistics, no loss). */
    public static Compiled eval(Model model) {
        return build(model, Graph.Mode.EVAL, null, null, null, r -> true);
    }

    /** The training graph of the whole model with {@code objective}. */
    public static Compiled train(Model model, Objective objective) {
        return build(model, Graph.Mode.TRAIN, objective, null, null, r -> true);
    }

    /**
     * The general case. {@code subnet} identifies the depth subnet for caching (e.g. a set of kept blocks) and
     * {@code keep} decides, per droppable block, whether it is kept; both null/all-true for the whole network.
     */
    public static Compiled build(Model model, Graph.Mode mode, Objective objective, ChannelMasks masks,
                                 Object subnet, Predicate<Residual> keep) {
        Key key = new Key(mode, objective, masks, subnet);
        return model.graph(key, () -> compile(model, mode, objective, masks, keep));
    }

    private static Compiled compile(Model model, Graph.Mode mode, Objective objective, ChannelMasks masks,
                                    Predicate<Residual> keep) {
        Objects.requireNonNull(keep);
        SameDiff sd = SameDiff.create();
        sd.setLogExecution(false);
        DataType dtype = model.dtype();
        Trace trace = model.trace(keep);
        Graph g = new Graph(sd, mode, dtype, trace, masks, keep);
        long[] in = model.inputShape();
        long[] full = new long[in.length + 1];
        full[0] = -1;
        System.arraycopy(in, 0, full, 1, in.length);
        SDVariable x = sd.placeHolder(Compiled.INPUT, dtype, full);
        SDVariable logits = model.root().forward(g, x);
        logits = sd.identity(Compiled.LOGITS, logits);
        if (objective != null) {
            SDVariable labels = sd.placeHolder(Compiled.LABELS, dtype, -1, model.classes());
            SDVariable loss = objective.loss(g, logits, labels);
            sd.identity(Compiled.LOSS, loss);
            sd.setLossVariables(Compiled.LOSS);
        }
        return new Compiled(sd, g, objective);
    }
}
