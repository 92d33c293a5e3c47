package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;

/** Mean over H and W: {@code [B,C,H,W] -> [B,C]}. */
public final class GlobalAvgPool extends Module {

    @Override
    public SDVariable forward(Graph g, SDVariable x) { return x.mean(2, 3); }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        Tensor y = t.tensor(new long[]{x.shape()[0]}, x.space(), 1);
        t.record(this, x, y, 0, 0);
        return y;
    }

    @Override
    public Module copy() { return new GlobalAvgPool(); }
}
