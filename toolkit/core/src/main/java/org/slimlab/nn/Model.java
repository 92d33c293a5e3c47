package org.slimlab.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.count.Summary;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.ui.Displayable;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A network: a module tree, its input shape (without batch) and a name. Renders as its summary table in a notebook.
 * Compiled SameDiff graphs are cached here per mode/objective/masks/subnet and share the parameter arrays.
 * <pre>{@code
 * var net = resnet20(10);           // a model
 * net.summary();                    // layer, type, output, params, MACs
 * net.macs(); net.params();         // counted on this (possibly sliced) network
 * }</pre>
 */
public final class Model implements Displayable {

    private final String name;
    private final Module root;
    private final long[] inputShape;
    private final Trace trace;
    private final Map<Object, Compiled> graphs = new ConcurrentHashMap<>();

    public Model(String name, Module root, long... inputShape) {
        this.name = name;
        this.root = root;
        this.inputShape = inputShape.clone();
        if (root.modules().distinct().count() != root.modules().count())
            throw new IllegalArgumentException("a module instance appears twice in the tree of " + name);
        root.assignPaths("");
        this.trace = trace(r -> true);
    }

    public String name() { return name; }

    public Module root() { return root; }

    public long[] inputShape() { return inputShape.clone(); }

    /** Number of outputs (classes) of the network. */
    public int classes() { return (int) trace.nodes().get(trace.nodes().size() - 1).out().numel(); }

    /** The trace of the whole network (cached). */
    public Trace trace() { return trace; }

    /** A fresh trace of a depth subnet. */
    public Trace trace(Predicate<Residual> keep) {
        Trace t = new Trace(keep);
        root.trace(t, t.input(inputShape));
        return t;
    }

    /** Multiply-accumulates of one forward pass of one image (conv and linear; DESIGN.md conventions). */
    public long macs() { return trace.totalMacs(); }

    /** Trainable parameters (running statistics excluded). */
    public long params() { return trace.totalParams(); }

    /** Layer-by-layer table: path, type, configuration, output shape, params, MACs, with a total row. */
    public Table summary() { return Summary.of(this); }

    /** Every parameter and buffer. */
    public List<Param> parameters() { return root.allParams(); }

    /** Trainable parameters only. */
    public List<Param> trainableParameters() { return parameters().stream().filter(Param::trainable).toList(); }

    /** A parameter by dotted name. */
    public Param parameter(String dottedName) {
        return parameters().stream().filter(p -> p.name().equals(dottedName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter '" + dottedName + "' in " + name));
    }

    /** All modules of type {@code type}, in order. */
    public <T extends Module> List<T> modules(Class<T> type) {
        return root.modules().filter(type::isInstance).map(type::cast).toList();
    }

    /** Data type of the parameters (float32 by default, float64 for gradient checks). */
    public DataType dtype() {
        return parameters().isEmpty() ? DataType.FLOAT : parameters().get(0).value().dataType();
    }

    /** An independent copy (parameters duplicated, no compiled graphs). */
    public Model copy() { return new Model(name, root.copy(), inputShape); }

    /** A copy under another name. */
    public Model named(String newName) { return new Model(newName, root.copy(), inputShape); }

    /** A copy with every parameter cast to {@code type} (e.g. DOUBLE for gradient checks). */
    public Model cast(DataType type) {
        Module r = root.copy();
        r.modules().forEach(m -> m.castParams(type));
        return new Model(name, r, inputShape);
    }

    /** Copies every parameter value of {@code other} (same architecture) into this model, in place. */
    public void load(Model other) {
        List<Param> a = parameters(), b = other.parameters();
        if (a.size() != b.size()) throw new IllegalArgumentException("architectures differ: " + a.size() + " vs " + b.size() + " tensors");
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i).value().shape(), b.get(i).value().shape()))
                throw new IllegalArgumentException("shape mismatch at " + a.get(i).name());
            a.get(i).value().assign(b.get(i).value());
        }
    }

    /** The cached compiled graph for {@code key}, building it with {@code build} the first time. */
    public Compiled graph(Object key, Supplier<Compiled> build) {
        Compiled c = graphs.get(key);
        if (c == null) {
            c = build.get();
            graphs.put(key, c);
        }
        return c;
    }

    /** Logits for a batch {@code [B, ...inputShape]} in eval mode, in chunks of 256. */
    public INDArray predict(INDArray x) {
        Compiled g = Graphs.eval(this);
        long n = x.size(0);
        if (n <= 256) return g.logits(x).dup();
        INDArray out = null;
        for (long i = 0; i < n; i += 256) {
            INDArray part = g.logits(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, Math.min(n, i + 256))));
            if (out == null) out = Nd4j.create(part.dataType(), n, part.size(1));
            out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, Math.min(n, i + 256))).assign(part);
        }
        return out;
    }

    @Override
    public Object displayValue() { return summary(); }

    @Override
    public String toString() {
        return String.format("%s: %s MACs, %s params, input %s", name, Summary.human(macs()), Summary.human(params()),
                Arrays.toString(inputShape));
    }
}
