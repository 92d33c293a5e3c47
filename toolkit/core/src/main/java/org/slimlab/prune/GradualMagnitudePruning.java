package org.slimlab.prune;

import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Losses;
import org.slimlab.nn.Model;
import org.slimlab.train.TrainStep;

/**
 * Gradual magnitude pruning during training (Zhu & Gupta 2017): every {@code frequency} steps the global magnitude
 * masks are recomputed at the schedule's sparsity, and the masks are re-applied after every optimizer step.
 * <pre>{@code
 * var schedule = new GradualSchedule(0, 0.8, 0, totalSteps * 3 / 4);
 * train(net).on(data).step(GradualMagnitudePruning.step(net, schedule, 50), "gradual-magnitude").fit();
 * }</pre>
 */
public final class GradualMagnitudePruning {

    private GradualMagnitudePruning() {}

    /** A training step that follows {@code schedule}, updating masks every {@code frequency} iterations. */
    public static TrainStep step(Model model, GradualSchedule schedule, int frequency) {
        Compiled g = Graphs.train(model, Losses.crossEntropy());
        MagnitudePruner.Result[] masks = {null};
        return (ctx, batch) -> {
            if (ctx.iteration() % frequency == 0 && schedule.sparsityAt(ctx.iteration()) > 0)
                masks[0] = MagnitudePruner.toSparsity(model, schedule.sparsityAt(ctx.iteration()));
            if (masks[0] != null) masks[0].apply();
            TrainStep.StepResult r = ctx.standardStep(g, batch);
            if (masks[0] != null) masks[0].apply();
            return r;
        };
    }
}
