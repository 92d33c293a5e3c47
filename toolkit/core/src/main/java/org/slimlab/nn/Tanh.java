package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;

/** tanh(x): the output activation of image generators (pixels in [-1, 1]). */
public final class Tanh extends Module {

    @Override
    public SDVariable forward(Graph g, SDVariable x) { return g.sd().math().tanh(x); }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        Tensor y = t.tensor(x.shape(), x.space(), x.perChannel());
        t.record(this, x, y, 0, 0);
        return y;
    }

    @Override
    public Module copy() { return new Tanh(); }
}
