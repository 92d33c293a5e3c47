package org.slimlab.graph;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.nn.Param;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Compares SameDiff's analytic gradients with central finite differences, in float64. Every op and loss SlimLab
 * builds on is checked with it (DL4J M2.1 has ops whose gradients are wrong; DL4J-NOTES.md §4).
 * <pre>{@code
 * var g = Graphs.train(model.cast(DOUBLE), Losses.crossEntropy());
 * GradientCheck.check(g, x, y, g.graph().params(), 20, 1e-6, 1).forEach(System.out::println);
 * }</pre>
 */
public final class GradientCheck {

    /** Result for one variable: how many elements were checked and the worst errors seen. */
    public record Report(String variable, int checked, double maxRelError, double maxAbsError) {
        /** Passes when every checked element has relative error below {@code tol} or absolute error below 1e-8. */
        public boolean passes(double tol) { return maxRelError < tol; }
    }

    private GradientCheck() {}

    /**
     * Checks up to {@code perVariable} random elements of each parameter in {@code params}. The feed (including
     * dropout masks) is drawn once, so the function being differentiated is fixed.
     */
    public static List<Report> check(Compiled g, INDArray x, INDArray labels, Collection<Param> params,
                                     int perVariable, double eps, long seed) {
        if (g.graph().dtype() != DataType.DOUBLE)
            throw new IllegalArgumentException("gradient checks need a float64 model (model.cast(DataType.DOUBLE))");
        SameDiff sd = g.sd();
        Map<String, INDArray> feed = g.feed(x, labels);
        List<Param> wrt = params.stream().filter(g::uses).filter(Param::trainable).toList();
        g.ensureGradFunction();
        Map<String, INDArray> analytic = sd.calculateGradients(feed, wrt.stream().map(Param::name).toList());
        Random rng = new Random(seed);
        List<Report> reports = new ArrayList<>();
        for (Param p : wrt) {
            INDArray v = p.value(), a = analytic.get(p.name());
            if (a == null) throw new IllegalStateException("no gradient for " + p.name());
            long n = v.length();
            int k = (int) Math.min(perVariable, n);
            double maxRel = 0, maxAbs = 0;
            for (int j = 0; j < k; j++) {
                long i = k == n ? j : (long) (rng.nextDouble() * n);
                double orig = v.getDouble(i);
                v.putScalar(i, orig + eps);
                double plus = loss(sd, feed);
                v.putScalar(i, orig - eps);
                double minus = loss(sd, feed);
                v.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * eps), an = a.getDouble(i);
                double abs = Math.abs(numeric - an);
                double rel = abs < 1e-8 ? 0 : abs / Math.max(Math.abs(numeric), Math.abs(an));
                maxRel = Math.max(maxRel, rel);
                maxAbs = Math.max(maxAbs, abs);
            }
            reports.add(new Report(p.name(), k, maxRel, maxAbs));
        }
        return reports;
    }

    private static double loss(SameDiff sd, Map<String, INDArray> feed) {
        return sd.output(feed, Compiled.LOSS).get(Compiled.LOSS).getDouble(0);
    }
}
