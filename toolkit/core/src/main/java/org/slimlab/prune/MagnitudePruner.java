package org.slimlab.prune;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slimlab.nn.Conv2d;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.nn.Param;
import org.slimlab.nn.Trace;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Global magnitude pruning (unstructured): one threshold on |w| across all conv and linear weights. The network
 * keeps its shape, so its MACs are reported as <em>non-zero MACs</em> (each weight counted once per output position
 * it is used at), which only sparse kernels would realise; the results note says so.
 */
public final class MagnitudePruner {

    /** Weight masks (1 keep, 0 pruned) per weight tensor, and the non-zero MACs ratio achieved. */
    public record Result(Map<Param, INDArray> masks, double macsRatio, double density) {
        /** Zeroes the pruned weights in place (call after every optimizer step while fine-tuning). */
        public void apply() { masks.forEach((p, m) -> p.value().muli(m)); }
    }

    private MagnitudePruner() {}

    /** Non-zero MACs of the model (dense MACs if no weight is zero). */
    public static long nonZeroMacs(Model model) {
        return macsAtDensity(model, w -> w.value().neq(0));
    }

    /** Masks keeping the largest weights globally so that non-zero MACs are at most {@code target} of dense. */
    public static Result toMacs(Model model, double target) {
        Map<Param, Long> usesPerWeight = new IdentityHashMap<>();
        long dense = 0, other = 0;
        for (Trace.Node n : model.trace().nodes()) {
            Param w = weight(n.module());
            if (w == null) { other += n.macs(); dense += n.macs(); continue; }
            usesPerWeight.put(w, n.macs() / w.value().length());
            dense += n.macs();
        }
        double lo = 0, hi = maxAbs(usesPerWeight);
        for (int it = 0; it < 40; it++) {
            double mid = (lo + hi) / 2;
            if (macsAt(usesPerWeight, mid) + other <= target * dense) hi = mid; else lo = mid;
        }
        double threshold = hi;
        Map<Param, INDArray> masks = new IdentityHashMap<>();
        long kept = 0, total = 0;
        for (Param p : usesPerWeight.keySet()) {
            INDArray m = Transforms.abs(p.value(), true).gt(threshold).castTo(p.value().dataType());
            masks.put(p, m);
            kept += m.sumNumber().longValue();
            total += m.length();
        }
        return new Result(masks, (macsAt(usesPerWeight, threshold) + other) / (double) dense, kept / (double) total);
    }

    /** Masks keeping the largest {@code 1 - sparsity} fraction of all conv/linear weights (one global threshold). */
    public static Result toSparsity(Model model, double sparsity) {
        java.util.List<Param> weights = new java.util.ArrayList<>();
        for (Trace.Node n : model.trace().nodes()) { Param w = weight(n.module()); if (w != null) weights.add(w); }
        INDArray all = Nd4j.concat(0, weights.stream().map(w -> Transforms.abs(w.value(), true).reshape(-1).castTo(DataType.DOUBLE)).toArray(INDArray[]::new));
        long k = (long) Math.floor(sparsity * all.length());
        double threshold = k <= 0 ? -1 : Nd4j.sort(all, true).getDouble(k - 1);
        Map<Param, INDArray> masks = new IdentityHashMap<>();
        long kept = 0;
        for (Param p : weights) {
            INDArray m = Transforms.abs(p.value(), true).gt(threshold).castTo(p.value().dataType());
            masks.put(p, m);
            kept += m.sumNumber().longValue();
        }
        return new Result(masks, nonZeroMacs(model, masks) / (double) model.macs(), kept / (double) all.length());
    }

    /** Non-zero MACs if {@code masks} were applied. */
    static long nonZeroMacs(Model model, Map<Param, INDArray> masks) {
        return macsAtDensity(model, w -> masks.containsKey(w) ? masks.get(w).neq(0) : null);
    }

    /**
     * Each conv/linear layer's MACs scaled by the fraction of its weights {@code kept(weight)} marks true (all MACs
     * where it returns null); other layers count in full.
     */
    private static long macsAtDensity(Model model, java.util.function.Function<Param, INDArray> kept) {
        long macs = 0;
        for (Trace.Node n : model.trace().nodes()) {
            Param w = weight(n.module());
            INDArray k = w == null ? null : kept.apply(w);
            macs += k == null ? n.macs() : n.macs() * k.castTo(DataType.LONG).sumNumber().longValue() / k.length();
        }
        return macs;
    }

    private static long macsAt(Map<Param, Long> uses, double threshold) {
        long m = 0;
        for (Map.Entry<Param, Long> e : uses.entrySet())
            m += e.getValue() * Transforms.abs(e.getKey().value(), true).gt(threshold).castTo(DataType.LONG).sumNumber().longValue();
        return m;
    }

    private static double maxAbs(Map<Param, Long> uses) {
        double m = 0;
        for (Param p : uses.keySet()) m = Math.max(m, p.value().amaxNumber().doubleValue());
        return m + 1e-12;
    }

    static Param weight(Module m) {
        if (m instanceof Conv2d c) return c.weight();
        if (m instanceof Linear l) return l.weight();
        return null;
    }

}
