package org.slimlab.stp;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.ChannelMasks;
import org.slimlab.graph.Graph;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Module;
import org.slimlab.prune.ChannelGroup;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * 0/1 channel masks, one per channel group, whose values are rewritten in place between passes. The compiled
 * graphs hold the mask arrays as constants sharing their buffers (like BN running statistics), so every width
 * subnet of a given depth runs through ONE cached graph: switching widths costs no rebuild. Used for STP's width
 * subnets (arXiv 2403.06417) and for the drop set of the group-lasso baseline.
 */
final class WidthMasks implements ChannelMasks {

    private final List<INDArray> masks = new ArrayList<>();
    private final Map<Module, INDArray> byPoint = new IdentityHashMap<>();

    WidthMasks(List<ChannelGroup> groups, DataType dtype) {
        for (ChannelGroup g : groups) {
            INDArray m = Nd4j.ones(dtype, g.channels());
            masks.add(m);
            for (Module p : g.maskPoints()) byPoint.put(p, m);
        }
    }

    /** Group {@code g} keeps exactly the channels in {@code keep}. */
    void set(int g, int[] keep) {
        INDArray m = masks.get(g);
        double[] v = new double[(int) m.length()];
        for (int c : keep) v[c] = 1;
        m.assign(Nd4j.createFromArray(v).castTo(m.dataType()));
    }

    /** The mask array of group {@code g} (shared with the graphs). */
    INDArray mask(int g) { return masks.get(g); }

    @Override
    public SDVariable apply(Graph g, Module producer, SDVariable y) {
        INDArray m = byPoint.get(producer);
        if (m == null) return y;
        if (m.dataType() != g.dtype())
            throw new IllegalStateException("width masks are " + m.dataType() + " but the graph is " + g.dtype()
                    + ": build the space on the model it trains");
        SDVariable mv = g.sd().constant(m);   // shares m's buffer: set() changes every graph that uses it
        return y.mul(producer instanceof Linear ? mv.reshape(1, m.length()) : mv.reshape(1, m.length(), 1, 1));
    }
}
