package org.slimlab.smmix;

import org.slimlab.data.Batch;
import org.slimlab.train.StepContext;
import org.slimlab.train.TrainStep;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a training step and measures it per epoch (mixing, forward, backward and update; not data loading or
 * evaluation), as wall-clock seconds and as CPU seconds of this process (all threads, native ones included). CPU
 * time is what the epoch-time claim compares: on a machine shared with other jobs wall time mostly measures the
 * neighbours. The first epoch includes building the graphs, so steady-state figures leave it out.
 */
final class TimedStep implements TrainStep {

    private static final java.lang.management.OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

    private final TrainStep inner;
    private final List<Double> wall = new ArrayList<>(), cpu = new ArrayList<>();

    TimedStep(TrainStep inner) { this.inner = inner; }

    @Override
    public StepResult step(StepContext ctx, Batch b) {
        long t0 = System.nanoTime(), c0 = cpuNanos();
        StepResult r = inner.step(ctx, b);
        add(wall, ctx.epoch(), (System.nanoTime() - t0) / 1e9);
        add(cpu, ctx.epoch(), (cpuNanos() - c0) / 1e9);
        return r;
    }

    private static void add(List<Double> l, int epoch, double v) {
        while (l.size() <= epoch) l.add(0.0);
        l.set(epoch, l.get(epoch) + v);
    }

    /** Process CPU time (ns), or wall time where the JVM cannot tell. */
    private static long cpuNanos() {
        return OS instanceof com.sun.management.OperatingSystemMXBean os && os.getProcessCpuTime() >= 0
                ? os.getProcessCpuTime() : System.nanoTime();
    }

    /** Wall-clock training-step seconds of each epoch. */
    List<Double> epochSeconds() { return List.copyOf(wall); }

    /** Mean wall seconds per epoch, leaving out the first (graph building) when there are more. */
    double steadyEpochSeconds() { return steady(wall); }

    /** Mean process-CPU seconds per epoch, leaving out the first when there are more. */
    double steadyEpochCpuSeconds() { return steady(cpu); }

    private static double steady(List<Double> s) {
        List<Double> l = s.size() > 1 ? s.subList(1, s.size()) : s;
        return l.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
