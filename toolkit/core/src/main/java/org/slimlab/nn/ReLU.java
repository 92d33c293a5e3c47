package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;

/** max(0, x). Keeps the channel space (a zeroed channel stays zero, which makes masks and slices agree). */
public final class ReLU extends Module {

    @Override
    public SDVariable forward(Graph g, SDVariable x) { return g.sd().nn().relu(x, 0); }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        Tensor y = t.tensor(x.shape(), x.space(), x.perChannel());
        t.record(this, x, y, 0, 0);
        return y;
    }

    @Override
    public Module copy() { return new ReLU(); }
}
