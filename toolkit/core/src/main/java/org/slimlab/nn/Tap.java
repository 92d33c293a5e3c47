package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * An identity layer that marks an intermediate activation so a method can read it: feature distillation reads the
 * tapped variable of each graph the model was built into ({@link #variable(Graph)}), or asks a training pass to
 * return it as an extra output by name ({@link #name(Graph)}). Costs nothing and counts nothing.
 */
public final class Tap extends Module {

    private final Map<Graph, SDVariable> outputs = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        SDVariable y = g.sd().identity(x);
        outputs.put(g, y);   // keyed by the Graph (identity): SameDiff's hashCode changes as ops are added
        return y;
    }

    /** The tapped activation in graph {@code g} (which must contain this model's forward pass). */
    public SDVariable variable(Graph g) {
        SDVariable v = outputs.get(g);
        if (v == null) throw new IllegalStateException("tap " + path() + " is not part of this graph");
        return v;
    }

    /** Name of the tapped variable in graph {@code g}, for {@code Compiled.run(..., extraOutputs)}. */
    public String name(Graph g) { return variable(g).name(); }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        Tensor y = t.tensor(x.shape(), x.space(), x.perChannel());
        t.record(this, x, y, 0, 0);
        return y;
    }

    @Override
    public Module copy() { return new Tap(); }
}
