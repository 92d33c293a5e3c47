package org.slimlab.prune;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.ChannelMasks;
import org.slimlab.graph.Graph;
import org.slimlab.nn.Module;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * 0/1 channel masks from a plan, applied at each group's mask points. A masked model computes what the sliced
 * model computes (zeroed channels stay zero through ReLU, pooling and residual adds, and consumers ignore them).
 */
public final class HardMasks implements ChannelMasks {

    private final Map<Module, INDArray> masks = new IdentityHashMap<>();

    public HardMasks(List<ChannelGroup> groups, PruningPlan plan) {
        for (ChannelGroup g : groups) {
            int[] keep = plan.kept(g.id());
            if (keep == null) continue;
            INDArray m = Nd4j.zeros(g.channels());
            for (int c : keep) m.putScalar(c, 1.0);
            for (Module p : g.maskPoints()) masks.put(p, m);
        }
    }

    @Override
    public SDVariable apply(Graph g, Module producer, SDVariable y) {
        INDArray m = masks.get(producer);
        if (m == null) return y;
        SDVariable mv = g.sd().constant(m.castTo(g.dtype()));
        boolean flat = producer instanceof org.slimlab.nn.Linear;
        return y.mul(flat ? mv.reshape(1, m.length()) : mv.reshape(1, m.length(), 1, 1));
    }
}
