package org.slimlab.repro;

/**
 * A reproduction of a method's claims with its baselines: implemented once per method module and registered with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/org.slimlab.repro.Reproduction}), so
 * {@code ./slimlab reproduce --method <name>} and {@code reproduce("<name>")} find it.
 */
public interface Reproduction {

    /** Method name on the command line, e.g. {@code baselines}, {@code s2hpruner}. */
    String name();

    /** Title for reports, naming the paper. */
    String title();

    /** Runs every arm at {@code scale} for {@code seeds} seeds; progress goes to live views. */
    ReproductionResult run(Scale scale, int seeds);

    /**
     * As {@link #run(Scale, int)}, keeping each finished piece (an arm at a seed) in {@code memo} so a stopped run can
     * resume; reproductions whose pieces are cheap to redo may ignore the memo (the default).
     */
    default ReproductionResult run(Scale scale, int seeds, RunMemo memo) { return run(scale, seeds); }
}
