package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;

/**
 * Inverted dropout with probability {@code p}. The keep mask is a placeholder the trainer fills from its seeded
 * generator each step (so runs are reproducible and the gradient is a plain multiply); identity in eval mode.
 */
public final class Dropout extends Module {

    private final double p;

    public Dropout(double p) {
        if (p < 0 || p >= 1) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        this.p = p;
    }

    public double p() { return p; }

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        if (!g.training() || p == 0) return x;
        return x.mul(g.dropoutMask(this, p));
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        Tensor y = t.tensor(x.shape(), x.space(), x.perChannel());
        t.record(this, x, y, 0, 0);
        return y;
    }

    @Override
    public Module copy() { return new Dropout(p); }

    @Override
    public String describe() { return "p=" + p; }
}
