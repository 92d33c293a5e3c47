package org.slimlab.lts;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slimlab.quant.FakeQuant;
import org.slimlab.quant.QuantLayer;

import java.util.Random;

/**
 * Per-weight bookkeeping of one quantised layer (METHODS.md §4.2-4.4), all as whole-array ND4J ops: the distance EMA
 * {@code d <- (1 - beta) |w_hat - q| + beta d} (reset to one step on a level change), the level of the last
 * iteration, the iteration each weight last changed level (the "scratch-off" curve), and the latent values of frozen
 * weights, restored after every optimizer update so weight decay and momentum cannot move them.
 */
final class LayerTracker {

    final QuantLayer layer;
    final long macs, count;
    final double delta;
    private final INDArray dist, prev, lastChange, latent;
    private INDArray rank;
    long frozenCount;

    LayerTracker(QuantLayer layer, long macs) {
        this.layer = layer;
        this.macs = macs;
        this.count = layer.weightCount();
        this.delta = FakeQuant.delta(layer.bits());
        INDArray w = layer.weight().value();
        this.prev = layer.currentLevels().castTo(DataType.DOUBLE);
        this.dist = Nd4j.valueArrayOf(w.shape(), delta, DataType.DOUBLE);   // as if every weight had just moved
        this.lastChange = Nd4j.zeros(DataType.DOUBLE, w.shape());
        this.latent = w.dup();
        this.frozenCount = (long) layer.frozen().value().sumNumber().doubleValue();
    }

    /** Puts frozen weights back to their latent value at freezing (exact: {@code w*0 + v*1}). */
    void restoreFrozen() {
        if (frozenCount == 0) return;
        INDArray m = layer.frozen().value(), w = layer.weight().value();
        w.muli(m.rsub(1.0)).addi(latent.mul(m));
    }

    /**
     * Updates the distance EMA, last-change iterations and levels from the current weights and bounds; returns the
     * current levels (double).
     */
    INDArray observe(long iteration, double beta) {
        QuantLayer l = layer;
        INDArray wHat = FakeQuant.normalised(l.weight().value().castTo(DataType.DOUBLE), l.weightLow().value().getDouble(0),
                l.weightHigh().value().getDouble(0));
        INDArray level = FakeQuant.levels(wHat, l.bits());
        INDArray now = Transforms.abs(wHat.subi(level.mul(delta)), false);   // |w_hat - q|, w_hat before clamping
        INDArray changed = level.neq(prev).castTo(DataType.DOUBLE), kept = changed.rsub(1.0);
        dist.muli(beta).addi(now.muli(1 - beta)).muli(kept).addi(changed.mul(delta));
        lastChange.muli(kept).addi(changed.muli(iteration));
        prev.assign(level);
        return level;
    }

    /** Weights with distance at most {@code tau * delta} that are not frozen yet (0/1, double). */
    INDArray thresholdCandidates(double tau) {
        return dist.lte(tau * delta).castTo(DataType.DOUBLE).muli(frozenMask().rsub(1.0));
    }

    /** The not-yet-frozen weights among the first {@code target} of a fixed random order (0/1, double). */
    INDArray randomCandidates(long target, long seed) {
        if (rank == null) {
            int n = (int) count;
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) perm[i] = i;
            Random r = new Random(seed);
            for (int i = n - 1; i > 0; i--) { int j = r.nextInt(i + 1), t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
            double[] d = new double[n];
            for (int i = 0; i < n; i++) d[i] = perm[i];
            rank = Nd4j.createFromArray(d).reshape(layer.weight().value().shape());
        }
        return rank.lt(target).castTo(DataType.DOUBLE).muli(frozenMask().rsub(1.0));
    }

    /** Freezes the weights where {@code add} is 1 at their current {@code level}; returns how many. */
    long freeze(INDArray add, INDArray level) {
        long n = (long) add.sumNumber().doubleValue();
        if (n == 0) return 0;
        INDArray keep = add.rsub(1.0);
        INDArray f = layer.frozen().value(), fl = layer.frozenLevel().value(), w = layer.weight().value();
        DataType t = f.dataType();
        f.addi(add.castTo(t));
        fl.muli(keep.castTo(t)).addi(level.mul(add).castTo(t));
        latent.muli(keep.castTo(t)).addi(w.mul(add.castTo(t)));
        frozenCount += n;
        return n;
    }

    private INDArray frozenMask() { return layer.frozen().value().castTo(DataType.DOUBLE); }

    /** The iteration each weight last changed level (0 if it never did), flattened. */
    double[] lastChanges() { return lastChange.reshape(lastChange.length()).toDoubleVector(); }
}
