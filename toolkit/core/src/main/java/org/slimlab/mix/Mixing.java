package org.slimlab.mix;

import org.slimlab.data.Batch;

import java.util.Random;

/**
 * A batch-level image-mixing augmentation: returns the mixed images with soft targets (labels keep the target
 * images' classes, for the training-accuracy display). Draws come from the given seeded generator.
 * <pre>{@code
 * var mix = Mixing.either(0.5, Mixup.of(0.8), CutMix.of(1.0));      // DeiT's recipe, label smoothing 0.1
 * train(vit).on(data).step(MixingStep.of(mix, 1), "mixup/cutmix").fit();
 * }</pre>
 */
@FunctionalInterface
public interface Mixing {

    /** One mixed batch; {@link Mixed#lambda()} is the share of the target image. */
    Mixed apply(Batch b, Random rng);

    /** A mixed batch and its lambda (1 when nothing was mixed). */
    record Mixed(Batch batch, double lambda, String kind) {}

    /** No mixing, label smoothing only. */
    static Mixing none(double smoothing) {
        return (b, rng) -> new Mixed(new Batch(b.x(), Labels.smooth(b.labels(), (int) b.y().size(1), smoothing), b.labels()), 1, "none");
    }

    /** {@code a} with probability {@code p}, otherwise {@code b} (timm's mixup/cutmix switch). */
    static Mixing either(double p, Mixing a, Mixing b) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
        return (batch, rng) -> rng.nextDouble() < p ? a.apply(batch, rng) : b.apply(batch, rng);
    }
}
