package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;

/** {@code x > 0 ? x : alpha x} (PatchGAN discriminators use alpha = 0.2). Keeps the channel space. */
public final class LeakyReLU extends Module {

    private final double alpha;

    public LeakyReLU(double alpha) { this.alpha = alpha; }

    public double alpha() { return alpha; }

    @Override
    public SDVariable forward(Graph g, SDVariable x) { return g.sd().nn().leakyRelu(x, alpha); }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        Tensor y = t.tensor(x.shape(), x.space(), x.perChannel());
        t.record(this, x, y, 0, 0);
        return y;
    }

    @Override
    public Module copy() { return new LeakyReLU(alpha); }

    @Override
    public String describe() { return Double.toString(alpha); }
}
