package org.slimlab.prune;

/**
 * Gradual magnitude pruning's sparsity schedule (Zhu & Gupta 2017, "To prune, or not to prune"):
 * {@code s_t = s_f + (s_i - s_f) (1 - (t - t0) / (n dt))^3} for t in [t0, t0 + n dt], constant outside.
 * Prunes fast early, when redundant weights are plenty, and slowly near the final sparsity.
 */
public record GradualSchedule(double initialSparsity, double finalSparsity, long startStep, long endStep) {

    public GradualSchedule {
        if (endStep <= startStep) throw new IllegalArgumentException("endStep must be after startStep");
    }

    /** Target sparsity at step {@code t}. */
    public double sparsityAt(long t) {
        if (t <= startStep) return initialSparsity;
        if (t >= endStep) return finalSparsity;
        double x = 1 - (t - startStep) / (double) (endStep - startStep);
        return finalSparsity + (initialSparsity - finalSparsity) * x * x * x;
    }
}
