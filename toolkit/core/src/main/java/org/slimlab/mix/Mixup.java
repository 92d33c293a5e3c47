package org.slimlab.mix;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.Batch;

import java.util.Random;

/**
 * Mixup (Zhang et al. 2018, "mixup: Beyond Empirical Risk Minimization", arXiv 1710.09412), as timm applies it:
 * {@code lambda ~ Beta(alpha, alpha)}, one per batch; image i becomes {@code lambda x_i + (1 - lambda) x_{B-1-i}},
 * its target the same mix of the smoothed one-hot labels.
 * <pre>{@code
 * Mixing m = Mixup.of(0.8);                    // DeiT: alpha 0.8, label smoothing 0.1
 * }</pre>
 */
public final class Mixup implements Mixing {

    private final double alpha, smoothing;

    private Mixup(double alpha, double smoothing) {
        if (alpha <= 0) throw new IllegalArgumentException("mixup alpha must be > 0, got " + alpha);
        this.alpha = alpha;
        this.smoothing = smoothing;
    }

    /** Mixup with {@code alpha} and label smoothing 0.1. */
    public static Mixup of(double alpha) { return new Mixup(alpha, 0.1); }

    public static Mixup of(double alpha, double smoothing) { return new Mixup(alpha, smoothing); }

    @Override
    public Mixed apply(Batch b, Random rng) {
        double lambda = Beta.sample(rng, alpha, alpha);
        return new Mixed(mix(b, lambda, smoothing), lambda, "mixup");
    }

    /** The mixup of {@code b} with its flipped partner at a given {@code lambda}. */
    public static Batch mix(Batch b, double lambda, double smoothing) {
        INDArray y = Labels.smooth(b.labels(), (int) b.y().size(1), smoothing);
        return new Batch(Labels.mix(b.x(), Labels.partner(b.x()), lambda), Labels.mix(y, Labels.partner(y), lambda), b.labels());
    }
}
