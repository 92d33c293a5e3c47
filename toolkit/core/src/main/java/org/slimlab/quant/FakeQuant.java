package org.slimlab.quant;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slimlab.graph.Losses;

/**
 * Learnable-interval fake quantisation (the quantiser LTS, arXiv 2211.08544, trains with; METHODS.md §4.1), as graph
 * ops and as plain ND4J arithmetic on arrays. With {@code n = 2^b - 1} levels above zero:
 * <ul>
 *   <li>weights: {@code w_hat = (w - lW) / (uW - lW)}, {@code level = round(clamp(w_hat, 0, 1) n)},
 *       {@code w_q = 2 (level / n - 0.5)} in [-1, 1];</li>
 *   <li>activations: {@code a_q = round(clamp((x - lA) / (uA - lA), 0, 1) n) / n} in [0, 1].</li>
 * </ul>
 * Rounding uses the straight-through estimator: forward exactly {@code round(y)}, gradient the identity, written
 * {@code sg[round(y)] + (y - sg[y])} (the forward adds an exact zero, so levels are exact). The bounds receive
 * gradients through the clamp and the division. {@link Rounding#NONE} replaces rounding by the identity: the
 * surrogate function whose ordinary derivative the STE gradient is (what the float64 checks compare against).
 * <pre>{@code
 * SDVariable wq = FakeQuant.weights(sd, w, lo, hi, 2, null, null, Rounding.STE);   // W2
 * }</pre>
 */
public final class FakeQuant {

    /** How {@code round} is differentiated. */
    public enum Rounding {
        /** round forward, identity gradient (training) */ STE,
        /** no rounding at all: the surrogate the STE differentiates (gradient checks) */ NONE
    }

    private FakeQuant() {}

    /** {@code 2^bits - 1}: the number of steps between the lowest and the highest level. */
    public static int steps(int bits) {
        if (bits < 1 || bits > 16) throw new IllegalArgumentException("bits must be in 1..16, got " + bits);
        return (1 << bits) - 1;
    }

    /** One quantisation step in normalised units, {@code 1 / (2^bits - 1)}. */
    public static double delta(int bits) { return 1.0 / steps(bits); }

    /** round(y) forward, identity backward (or y itself for {@link Rounding#NONE}). */
    public static SDVariable round(SameDiff sd, SDVariable y, Rounding r) {
        if (r == Rounding.NONE) return y;
        SDVariable fixed = Losses.stopGradient(sd, y);
        return sd.math().round(fixed).add(y.sub(fixed));
    }

    /**
     * {@code clamp((x - lo) / (hi - lo), 0, 1)}; lo and hi broadcast against x. Written as a product with
     * {@code 1 / (hi - lo)}: in DL4J M2.1 the gradient of {@code div} w.r.t. a broadcast denominator is wrong
     * (measured: 10.2 analytic vs 0.69 finite differences), the product's is right.
     */
    public static SDVariable normalise(SameDiff sd, SDVariable x, SDVariable lo, SDVariable hi) {
        return sd.math().clipByValue(x.sub(lo).mul(hi.sub(lo).rdiv(1.0)), 0.0, 1.0);
    }

    /**
     * Integer levels {@code round(clamp((w - lo)/(hi - lo), 0, 1) n)} (STE-rounded). Where {@code frozen} is 1 the
     * stored {@code frozenLevel} is used instead (a frozen weight's level can no longer move, whatever the bounds
     * do; it gets no gradient); both may be null.
     */
    public static SDVariable weightLevels(SameDiff sd, SDVariable w, SDVariable lo, SDVariable hi, int bits,
                                          SDVariable frozen, SDVariable frozenLevel, Rounding r) {
        SDVariable level = round(sd, normalise(sd, w, lo, hi).mul(steps(bits)), r);
        if (frozen == null) return level;
        return frozen.mul(frozenLevel).add(frozen.rsub(1.0).mul(level));
    }

    /** Effective (fake-quantised) weights in [-1, 1]: {@code 2 (level / n - 0.5)}. */
    public static SDVariable weights(SameDiff sd, SDVariable w, SDVariable lo, SDVariable hi, int bits,
                                     SDVariable frozen, SDVariable frozenLevel, Rounding r) {
        return levelsToWeights(weightLevels(sd, w, lo, hi, bits, frozen, frozenLevel, r), bits);
    }

    /** {@code 2 (level / n - 0.5)}: a pure function of the level, so equal levels give bit-identical weights. */
    public static SDVariable levelsToWeights(SDVariable level, int bits) {
        return level.div(steps(bits)).sub(0.5).mul(2.0);
    }

    /** Fake-quantised activations in [0, 1]: {@code round(clamp((x - lo)/(hi - lo), 0, 1) n) / n}. */
    public static SDVariable activations(SameDiff sd, SDVariable x, SDVariable lo, SDVariable hi, int bits, Rounding r) {
        return round(sd, normalise(sd, x, lo, hi).mul(steps(bits)), r).div(steps(bits));
    }

    // ---- the same arithmetic on arrays (bookkeeping outside the graph) -------------------------------------------

    /** {@code (w - lo) / (hi - lo)}, NOT clamped (a fresh array). */
    public static INDArray normalised(INDArray w, double lo, double hi) {
        if (!(hi > lo)) throw new IllegalArgumentException("quantiser interval is empty: lo " + lo + " >= hi " + hi);
        return w.sub(lo).divi(hi - lo);
    }

    /** Integer levels of normalised values: {@code round(clamp(wHat, 0, 1) n)} (a fresh array). */
    public static INDArray levels(INDArray wHat, int bits) {
        INDArray c = Transforms.min(Transforms.max(wHat, 0.0, true), 1.0, false);
        return Transforms.round(c.muli(steps(bits)), false);
    }

    /** Effective weights of given levels, {@code 2 (level / n - 0.5)} (a fresh array). */
    public static INDArray weightsOfLevels(INDArray level, int bits) {
        return level.div(steps(bits)).subi(0.5).muli(2.0);
    }
}
