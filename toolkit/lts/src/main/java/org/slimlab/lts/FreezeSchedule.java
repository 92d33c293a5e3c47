package org.slimlab.lts;

/**
 * The freezing threshold {@code tau_t} of LTS (Zhong et al., "Exploring Lottery Ticket Hypothesis in Few-bit
 * Quantized Neural Networks" / lottery ticket scratcher, arXiv 2211.08544; METHODS.md §4.3): a weight freezes when
 * its distance EMA is at most {@code tau_t} quantisation steps. Nothing freezes during warm-up; after it,
 * {@code tau} grows from 0 to 1 by the end of training (linear or sine), or stays constant.
 * <pre>{@code
 * FreezeSchedule.LINEAR.tau(0.6, 0.2);   // 0.5: half-way between the end of warm-up and the end of training
 * }</pre>
 */
public enum FreezeSchedule {
    /** {@code tau = s}, s = (progress - warmup) / (1 - warmup) (the default). */
    LINEAR,
    /** {@code tau = sin(pi/2 s)}: grows fast early. */
    SINE,
    /** {@code tau = 0.1} after warm-up. */
    CONSTANT;

    /** The constant schedule's value. */
    public static final double CONSTANT_TAU = 0.1;

    /** The threshold at {@code progress} in [0, 1); NaN during warm-up (nothing may freeze). */
    public double tau(double progress, double warmup) {
        if (warmup < 0 || warmup >= 1) throw new IllegalArgumentException("warm-up must be in [0, 1), got " + warmup);
        if (progress < warmup) return Double.NaN;
        double s = Math.min(1, (progress - warmup) / (1 - warmup));
        return switch (this) {
            case LINEAR -> s;
            case SINE -> Math.sin(Math.PI / 2 * s);
            case CONSTANT -> CONSTANT_TAU;
        };
    }

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
