package org.slimlab.kernel.runtime;

import java.util.Locale;

/** The loop behind {@code %timeit}: runs code many times in the cell thread and reports time per loop. */
public final class Timing {

    private Timing() {}

    /** Code to time; may throw. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Mean and standard deviation of the time per loop over {@code runs} runs of {@code loops} loops each.
     *
     * @param meanSeconds mean seconds per loop
     * @param stdSeconds  standard deviation of the per-loop time across runs
     */
    public record Result(double meanSeconds, double stdSeconds, int runs, long loops) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s ± %s per loop (mean ± std. dev. of %d run%s, %d loop%s each)",
                    format(meanSeconds), format(stdSeconds), runs, runs == 1 ? "" : "s", loops, loops == 1 ? "" : "s");
        }
    }

    /**
     * Times {@code body}. With {@code loops <= 0} the number of loops is chosen (1, 10, 100, ...) so that one run
     * takes at least 0.2 s.
     */
    public static Result timeit(long loops, int runs, Body body) throws Exception {
        runs = Math.max(1, runs);
        if (loops <= 0) {
            loops = 1;
            while (loops < 10_000_000L) {
                double t = once(loops, body);
                if (t >= 0.2) break;
                loops *= 10;
            }
        }
        double[] perLoop = new double[runs];
        for (int r = 0; r < runs; r++) perLoop[r] = once(loops, body) / loops;
        double mean = 0;
        for (double v : perLoop) mean += v;
        mean /= runs;
        double var = 0;
        for (double v : perLoop) var += (v - mean) * (v - mean);
        double std = runs > 1 ? Math.sqrt(var / (runs - 1)) : 0;
        return new Result(mean, std, runs, loops);
    }

    private static double once(long loops, Body body) throws Exception {
        long t0 = System.nanoTime();
        for (long i = 0; i < loops; i++) {
            body.run();
            if (Thread.currentThread().isInterrupted()) throw new InterruptedException("timeit interrupted");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    static String format(double s) {
        if (s >= 1) return String.format(Locale.ROOT, "%.3g s", s);
        if (s >= 1e-3) return String.format(Locale.ROOT, "%.3g ms", s * 1e3);
        if (s >= 1e-6) return String.format(Locale.ROOT, "%.3g µs", s * 1e6);
        return String.format(Locale.ROOT, "%.3g ns", s * 1e9);
    }
}
