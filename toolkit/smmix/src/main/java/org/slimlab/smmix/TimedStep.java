package org.slimlab.smmix;

import org.slimlab.data.Batch;
import org.slimlab.train.StepContext;
import org.slimlab.train.TrainStep;

import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a training step and measures its wall time per epoch (mixing, forward, backward and update; not data
 * loading or evaluation), for the epoch-time claim. The first epoch includes building the graphs.
 */
final class TimedStep implements TrainStep {

    private final TrainStep inner;
    private final List<Double> seconds = new ArrayList<>();

    TimedStep(TrainStep inner) { this.inner = inner; }

    @Override
    public StepResult step(StepContext ctx, Batch b) {
        long t0 = System.nanoTime();
        StepResult r = inner.step(ctx, b);
        while (seconds.size() <= ctx.epoch()) seconds.add(0.0);
        seconds.set(ctx.epoch(), seconds.get(ctx.epoch()) + (System.nanoTime() - t0) / 1e9);
        return r;
    }

    /** Training-step seconds of each epoch. */
    List<Double> epochSeconds() { return List.copyOf(seconds); }

    /** Mean seconds per epoch, leaving out the first (graph building) when there are more. */
    double steadyEpochSeconds() {
        List<Double> s = seconds.size() > 1 ? seconds.subList(1, seconds.size()) : seconds;
        return s.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
