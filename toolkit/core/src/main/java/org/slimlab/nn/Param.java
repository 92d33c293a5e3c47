package org.slimlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * A named tensor owned by a module. The array is shared with every compiled graph of the model, so it is only ever
 * updated in place ({@code value().assign(...)}, {@code subi}); replacing it would disconnect the graphs.
 */
public final class Param {

    /** What a tensor is: decides optimiser groups, weight decay and what counting calls a parameter. */
    public enum Kind {
        /** conv/linear weights (decayed, pruned) */ WEIGHT,
        /** conv/linear biases */ BIAS,
        /** normalisation scale (gamma) */ NORM_SCALE,
        /** normalisation shift (beta) */ NORM_SHIFT,
        /** running statistics: not trainable, not counted as parameters */ BUFFER,
        /** anything else a method adds (mask logits, quantiser bounds, tokens) */ OTHER
    }

    private final String localName;
    private final Kind kind;
    private INDArray value;
    private String path;

    public Param(String localName, Kind kind, INDArray value) {
        this.localName = Objects.requireNonNull(localName);
        this.kind = Objects.requireNonNull(kind);
        this.value = Objects.requireNonNull(value);
        this.path = localName;
    }

    /** Full dotted name in the model, e.g. {@code layer1.0.conv1.weight}. */
    public String name() { return path; }

    public String localName() { return localName; }

    public Kind kind() { return kind; }

    public INDArray value() { return value; }

    /** True for everything but running statistics. */
    public boolean trainable() { return kind != Kind.BUFFER; }

    /** Replaces the array; only for fresh copies that no graph has seen yet (casting). */
    void reset(INDArray newValue) {
        this.value = Objects.requireNonNull(newValue);
    }

    void setPath(String modulePath) {
        this.path = modulePath.isEmpty() ? localName : modulePath + "." + localName;
    }

    @Override
    public String toString() {
        return name() + " " + java.util.Arrays.toString(value.shape());
    }
}
