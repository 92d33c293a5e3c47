package org.slimlab.lts;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.Model;
import org.slimlab.quant.QuantLayer;
import org.slimlab.quant.Quantization;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks, snapshot after snapshot, that every weight frozen at a snapshot has exactly the same effective
 * (fake-quantised) value, as the graph computes it, at the next one: by induction, from its freezing to the end.
 * The quantised values are never zero (an odd number of steps between -1 and 1), so equal floats are equal bits.
 */
public final class FrozenValueCheck {

    private List<INDArray> lastValues, lastFrozen;
    private long compared, changed;

    /** Takes a snapshot of {@code q}'s effective weights and compares the previously frozen ones with the last snapshot. */
    public void snapshot(Model q) {
        List<QuantLayer> layers = Quantization.layers(q);
        long[] in = q.inputShape();
        long[] shape = new long[in.length + 1];
        shape[0] = 1;
        System.arraycopy(in, 0, shape, 1, in.length);
        Compiled g = Graphs.eval(q);
        var out = g.outputs(Nd4j.zeros(q.dtype(), shape), null, layers.stream().map(QuantLayer::weightName).toArray(String[]::new));
        List<INDArray> values = new ArrayList<>(), frozen = new ArrayList<>();
        for (QuantLayer l : layers) {
            values.add(out.get(l.weightName()).castTo(DataType.DOUBLE).dup());
            frozen.add(l.frozen().value().castTo(DataType.DOUBLE).dup());
        }
        if (lastValues != null) {
            for (int i = 0; i < layers.size(); i++) {
                INDArray was = lastFrozen.get(i);
                compared += (long) was.sumNumber().doubleValue();
                changed += (long) values.get(i).neq(lastValues.get(i)).castTo(DataType.DOUBLE).muli(was).sumNumber().doubleValue();
                if (frozen.get(i).sub(was).minNumber().doubleValue() < 0) changed++;   // a weight unfroze
            }
        }
        lastValues = values;
        lastFrozen = frozen;
    }

    /** Frozen-weight comparisons made (one per frozen weight per pair of snapshots). */
    public long compared() { return compared; }

    /** Comparisons where a frozen weight's effective value changed (or a weight unfroze): 0 if the claim holds. */
    public long changed() { return changed; }
}
