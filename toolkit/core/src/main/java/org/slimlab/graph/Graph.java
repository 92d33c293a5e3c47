package org.slimlab.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.slimlab.nn.BatchNorm2d;
import org.slimlab.nn.Dropout;
import org.slimlab.nn.Module;
import org.slimlab.nn.Param;
import org.slimlab.nn.Residual;
import org.slimlab.nn.Tensor;
import org.slimlab.nn.Trace;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The context modules emit their ops into while a SameDiff graph is built: the mode (train/eval), one SameDiff
 * variable per parameter (sharing the parameter's array), channel masks, which residual blocks a depth subnet
 * keeps, batch statistics to fold into BN running stats, and random inputs (dropout masks) to feed each step.
 */
public final class Graph {

    /** Training (batch statistics, dropout) or evaluation (running statistics). */
    public enum Mode { TRAIN, EVAL }

    /** A BN layer's batch mean and variance variables in a training graph. */
    public record BatchStat(BatchNorm2d layer, String mean, String var) {}

    /** A placeholder refilled with a fresh keep-mask each step: {@code Bernoulli(1-p)/(1-p)}. */
    public record RandomMask(String name, long[] shape, double p) {}

    private final SameDiff sd;
    private final Mode mode;
    private final DataType dtype;
    private final Trace trace;
    private final ChannelMasks masks;
    private final Predicate<Residual> keep;
    private final Map<Param, SDVariable> vars = new IdentityHashMap<>();
    private final List<BatchStat> stats = new ArrayList<>();
    private final List<RandomMask> randomMasks = new ArrayList<>();
    private final Map<String, long[]> extraInputs = new java.util.LinkedHashMap<>();

    Graph(SameDiff sd, Mode mode, DataType dtype, Trace trace, ChannelMasks masks, Predicate<Residual> keep) {
        this.sd = sd;
        this.mode = mode;
        this.dtype = dtype;
        this.trace = trace;
        this.masks = masks;
        this.keep = keep;
    }

    public SameDiff sd() { return sd; }

    public boolean training() { return mode == Mode.TRAIN; }

    public Mode mode() { return mode; }

    public DataType dtype() { return dtype; }

    /** The SameDiff variable of a parameter (created once; it shares the parameter's array). */
    public SDVariable var(Param p) {
        return vars.computeIfAbsent(p, q -> q.trainable() ? sd.var(q.name(), q.value()) : sd.constant(q.name(), q.value()));
    }

    /** A non-trainable tensor (running statistics) as a constant sharing its array. */
    public SDVariable buffer(Param p) { return var(p); }

    /** The parameters this graph uses, in creation order of their variables. */
    public List<Param> params() { return List.copyOf(vars.keySet()); }

    /** Applies the channel mask after {@code producer}, if masks are installed and it is a mask point. */
    public SDVariable maskChannels(Module producer, SDVariable y) {
        return masks == null ? y : masks.apply(this, producer, y);
    }

    /** Whether a depth subnet keeps this droppable block. */
    public boolean keeps(Residual block) { return keep.test(block); }

    /** The traced input of a leaf layer (its shape without batch). */
    public Tensor inputOf(Module m) {
        Trace.Node n = trace.node(m);
        if (n == null) throw new IllegalStateException("module " + m + " was not traced in this graph");
        return n.in();
    }

    public Trace trace() { return trace; }

    /** Registers a training-mode BN layer's batch statistics, read after each step. */
    public void recordBatchStats(BatchNorm2d layer, SDVariable mean, SDVariable var) {
        stats.add(new BatchStat(layer, mean.name(), var.name()));
    }

    /** A dropout keep-mask placeholder for {@code layer}, filled by the trainer each step. */
    public SDVariable dropoutMask(Dropout layer, double p) {
        long[] shape = inputOf(layer).shape();
        String name = "dropout_mask_" + randomMasks.size();
        randomMasks.add(new RandomMask(name, shape, p));
        long[] full = new long[shape.length + 1];
        full[0] = -1;
        System.arraycopy(shape, 0, full, 1, shape.length);
        return sd.placeHolder(name, dtype, full);
    }

    /**
     * An extra per-batch input (e.g. a teacher's logits for distillation), {@code shape} without the batch
     * dimension; the objective's {@link Objective#feed} supplies its value each step.
     */
    public SDVariable extraInput(String name, long... shape) {
        long[] full = new long[shape.length + 1];
        full[0] = -1;
        System.arraycopy(shape, 0, full, 1, shape.length);
        extraInputs.put(name, full);
        return sd.placeHolder(name, dtype, full);
    }

    List<BatchStat> batchStats() { return stats; }

    List<RandomMask> randomMasks() { return randomMasks; }
}
