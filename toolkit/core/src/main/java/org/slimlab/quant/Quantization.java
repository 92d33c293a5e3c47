package org.slimlab.quant;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.Conv2d;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.nn.Param;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Quantisation-aware training on any core model: {@link #quantize} swaps every {@link Conv2d} and {@link Linear} of
 * a copy for its fake-quantised twin ({@link QuantConv2d}, {@link QuantLinear}); {@link #initBounds} sets the
 * learnable intervals from one batch (METHODS.md §4.1: {@code uW = 3 std(W)}, {@code lW = -3 std(W)},
 * {@code uA = 3 std(x) / sqrt(1 - 2/pi)}, {@code lA = min(x)}); the bounds are trained by their own optimizer
 * ({@link #isBound}), the weights by the default one.
 * <pre>{@code
 * var q = Quantization.quantize(fpModel, 2);                       // W2A2 copy, fp model untouched
 * Quantization.initBounds(q, data.train().head(128).images());
 * train(q).on(data).sgd(0.01).group("bounds", Quantization::isBound, Optimizers.adam(1e-3), Schedule.constant()).fit();
 * }</pre>
 */
public final class Quantization {

    private static final Set<String> BOUNDS = Set.of(QuantLayer.W_LO, QuantLayer.W_HI, QuantLayer.A_LO, QuantLayer.A_HI);

    private Quantization() {}

    /** A copy of {@code model} with every conv and linear layer quantised at {@code bits} bits (weights and input activations). */
    public static Model quantize(Model model, int bits) {
        FakeQuant.steps(bits);
        if (!layers(model).isEmpty()) throw new IllegalArgumentException(model.name() + " is already quantised");
        Module root = model.root().copy().mapLeaves(leaf -> {
            if (leaf instanceof Conv2d c) return new QuantConv2d(c, bits);
            if (leaf instanceof Linear l) return new QuantLinear(l, bits);
            return leaf;
        });
        Model q = new Model(model.name() + "-w" + bits + "a" + bits, root, model.inputShape());
        if (layers(q).isEmpty()) throw new IllegalArgumentException(model.name() + " has no conv or linear layer to quantise");
        return q;
    }

    /** The full-precision model with the latent weights of a quantised one (bounds and freeze state dropped). */
    public static Model dequantize(Model q) {
        Module root = q.root().copy().mapLeaves(leaf -> {
            if (leaf instanceof QuantConv2d c) return c.toConv();
            if (leaf instanceof QuantLinear l) return l.toLinear();
            return leaf;
        });
        return new Model(q.name() + "-fp", root, q.inputShape());
    }

    /** A copy whose quantisers do not round (the surrogate the STE differentiates; for gradient checks). */
    public static Model surrogate(Model q) {
        Module root = q.root().copy().mapLeaves(leaf -> {
            if (leaf instanceof QuantConv2d c) return c.withRounding(FakeQuant.Rounding.NONE);
            if (leaf instanceof QuantLinear l) return l.withRounding(FakeQuant.Rounding.NONE);
            return leaf;
        });
        return new Model(q.name() + "-surrogate", root, q.inputShape());
    }

    /** The quantised layers of a model, in forward order. */
    public static List<QuantLayer> layers(Model model) {
        return model.root().modules().filter(m -> m instanceof QuantLayer).map(m -> (QuantLayer) m).toList();
    }

    /** True for the quantiser bounds (to give them their own optimizer group). */
    public static boolean isBound(Param p) { return p.kind() == Param.Kind.OTHER && BOUNDS.contains(p.localName()); }

    /** Selector of the bounds, for {@code Trainer.group}. */
    public static Predicate<Param> bounds() { return Quantization::isBound; }

    /** Multiply-accumulates of one image through {@code layer} (its F_l in the backward-FLOPs formula). */
    public static long macs(Model model, QuantLayer layer) {
        var n = model.trace().node(layer.module());
        if (n == null) throw new IllegalArgumentException(layer.module().path() + " is not in " + model.name());
        return n.macs();
    }

    /** Bit-operations of one forward pass: sum over layers of MACs x weight bits x activation bits (32 x 32 unquantised). */
    public static double bitOps(Model model) {
        double total = 0;
        for (var n : model.trace().nodes()) {
            if (n.macs() == 0) continue;
            int b = n.module() instanceof QuantLayer q ? q.bits() : 32;
            total += n.macs() * (double) b * b;
        }
        return total;
    }

    /**
     * Sets every layer's bounds from one batch, in forward order: weight bounds from the weights, activation bounds
     * from the layer's actual input in a training-mode pass in which the layers before it are already initialised.
     */
    public static Model initBounds(Model q, INDArray batch) {
        List<QuantLayer> ls = layers(q);
        if (ls.isEmpty()) throw new IllegalArgumentException(q.name() + " has no quantised layer (use Quantization.quantize first)");
        for (QuantLayer l : ls) {
            double std = l.weight().value().stdNumber().doubleValue();
            if (!(std > 0)) throw new IllegalStateException(l.module().path() + ": weights have zero spread, cannot set bounds");
            l.weightLow().value().assign(-3 * std);
            l.weightHigh().value().assign(3 * std);
        }
        Compiled g = Graphs.build(q, Graph.Mode.TRAIN, null, null, null, r -> true);
        for (QuantLayer l : ls) {
            Map<String, INDArray> out = g.outputs(batch, null, l.inputName());
            INDArray x = out.get(l.inputName());
            double lo = x.minNumber().doubleValue(), hi = 3 * x.stdNumber().doubleValue() / Math.sqrt(1 - 2 / Math.PI);
            if (!(hi > lo)) hi = lo + 1e-3;   // a constant input: any non-empty interval
            l.activationLow().value().assign(lo);
            l.activationHigh().value().assign(hi);
        }
        return q;
    }

    /** Fraction of quantised weights that are frozen. */
    public static double frozenRatio(Model q) {
        long frozen = 0, all = 0;
        for (QuantLayer l : layers(q)) {
            frozen += (long) l.frozen().value().sumNumber().doubleValue();
            all += l.weightCount();
        }
        return all == 0 ? 0 : frozen / (double) all;
    }
}
