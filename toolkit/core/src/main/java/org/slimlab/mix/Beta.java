package org.slimlab.mix;

import java.util.Random;

/** Draws from Beta(a, b) with a seeded {@link Random}: two Gamma draws (Marsaglia and Tsang 2000). */
public final class Beta {

    private Beta() {}

    public static double sample(Random rng, double a, double b) {
        if (a <= 0 || b <= 0) throw new IllegalArgumentException("Beta parameters must be > 0, got " + a + ", " + b);
        double x = gamma(rng, a), y = gamma(rng, b);
        return x / (x + y);
    }

    static double gamma(Random rng, double shape) {
        if (shape < 1) return gamma(rng, shape + 1) * Math.pow(rng.nextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x, v;
            do {
                x = rng.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
        }
    }
}
