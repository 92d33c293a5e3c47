package org.slimlab.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;

/** {@code [B,C,H,W] -> [B, C*H*W]} (channel-major, like PyTorch); each channel becomes H*W features. */
public final class Flatten extends Module {

    @Override
    public SDVariable forward(Graph g, SDVariable x) {
        long features = g.inputOf(this).numel();
        return x.reshape(-1, features);
    }

    @Override
    public Tensor trace(Trace t, Tensor x) {
        Tensor y = t.tensor(new long[]{x.numel()}, x.space(), x.shape().length == 3 ? x.height() * x.width() : x.perChannel());
        t.record(this, x, y, 0, 0);
        return y;
    }

    @Override
    public Module copy() { return new Flatten(); }
}
