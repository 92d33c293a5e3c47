package org.slimlab.train;

/**
 * A learning-rate schedule: the multiplier of the base rate at a point of training, given as the fraction
 * {@code t = iteration / totalIterations} in [0, 1). Compose with {@link #warmup}.
 */
@FunctionalInterface
public interface Schedule {

    /** Multiplier of the base learning rate at iteration {@code it} of {@code total}. */
    double factor(long it, long total);

    /** Constant rate. */
    static Schedule constant() { return (it, total) -> 1.0; }

    /** Cosine annealing from 1 to 0 over training (Loshchilov & Hutter 2017, no restarts). */
    static Schedule cosine() { return (it, total) -> 0.5 * (1 + Math.cos(Math.PI * it / (double) total)); }

    /** Multiply by {@code gamma} at each milestone, given as fractions of training (e.g. 0.5, 0.75). */
    static Schedule step(double gamma, double... milestones) {
        return (it, total) -> {
            double t = it / (double) total, f = 1;
            for (double m : milestones) if (t >= m) f *= gamma;
            return f;
        };
    }

    /** Linear decay from 1 to 0. */
    static Schedule linear() { return (it, total) -> 1.0 - it / (double) total; }

    /** Linear warm-up from 0 over the first {@code fraction} of training, then {@code this}. */
    default Schedule warmup(double fraction) {
        Schedule after = this;
        return (it, total) -> {
            long w = (long) Math.ceil(fraction * total);
            return it < w ? (it + 1) / (double) w : after.factor(it, total);
        };
    }
}
