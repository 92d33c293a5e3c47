package org.slimlab.mix;

import org.slimlab.data.Batch;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Losses;
import org.slimlab.train.StepContext;
import org.slimlab.train.TrainStep;

import java.util.Random;

/**
 * The standard cross-entropy step on mixed batches: each batch goes through a {@link Mixing} (seeded, independent
 * of the data order) and the model minimises the soft-target cross-entropy. Works with any core model.
 * <pre>{@code
 * train(net).on(data).step(MixingStep.of(Mixing.either(0.5, Mixup.of(0.8), CutMix.of(1.0)), 1), "mixup/cutmix").fit();
 * }</pre>
 */
public final class MixingStep implements TrainStep {

    private final Mixing mixing;
    private final long seed;
    private final org.slimlab.graph.Objective ce = Losses.crossEntropy();
    private Random rng;
    private Mixing.Mixed last;

    private MixingStep(Mixing mixing, long seed) {
        this.mixing = mixing;
        this.seed = seed;
    }

    public static MixingStep of(Mixing mixing, long seed) { return new MixingStep(mixing, seed); }

    /** The last mixed batch (for inspection). */
    public Mixing.Mixed last() { return last; }

    @Override
    public StepResult step(StepContext ctx, Batch b) {
        if (rng == null) rng = new Random(seed);
        last = mixing.apply(b, rng);
        Compiled g = Graphs.train(ctx.model(), ce);
        return ctx.standardStep(g, last.batch());
    }
}
