package org.slimlab.lts;

import org.knowm.xchart.XYChart;
import org.slimlab.plot.Charts;
import org.slimlab.ui.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an LTS-style run recorded per iteration: frozen weights per layer (after the iteration's freezing), the
 * fraction of trainable parameters whose update was eliminated in the iteration, and the backward FLOPs saved by
 * the formula of METHODS.md §4.5, {@code sum_l f_l F_l / sum_l 2 F_l} (freezing skips only the weight-gradient half
 * of a layer's backward). Also, at the end, each weight's last level change (the scratch-off curve).
 * Renders as its per-layer table.
 */
public final class FreezeLog implements Displayable {

    private final List<String> layers;
    private final long[] weights, macs;
    private final long trainable;
    private final double warmup;
    private final long totalIterations;
    private final List<long[]> frozenAfter = new ArrayList<>();
    private final List<Double> updatesEliminated = new ArrayList<>(), backwardSaved = new ArrayList<>(), frozenBefore = new ArrayList<>();
    private double[] lastChanges = new double[0];

    FreezeLog(List<String> layers, long[] weights, long[] macs, long trainable, double warmup, long totalIterations) {
        this.layers = List.copyOf(layers);
        this.weights = weights.clone();
        this.macs = macs.clone();
        this.trainable = trainable;
        this.warmup = warmup;
        this.totalIterations = totalIterations;
    }

    /** Records one iteration: frozen counts per layer when it ran ({@code before}) and after its freezing. */
    void record(long[] before, long[] after) {
        long frozen = 0, all = 0;
        double saved = 0, flops = 0;
        for (int l = 0; l < before.length; l++) {
            frozen += before[l];
            all += weights[l];
            saved += before[l] / (double) weights[l] * macs[l];
            flops += 2.0 * macs[l];
        }
        frozenBefore.add(frozen / (double) all);
        updatesEliminated.add(frozen / (double) trainable);
        backwardSaved.add(flops == 0 ? 0 : saved / flops);
        frozenAfter.add(after.clone());
    }

    void finish(double[] lastChanges) { this.lastChanges = lastChanges.clone(); }

    /**
     * The per-iteration frozen counts and the sizes they refer to: what a random-freezing control needs of its
     * reference run, in a form a {@link org.slimlab.repro.RunMemo} can keep (so that a resumed run can train the
     * control without retraining the reference).
     */
    public record Counts(List<String> layers, long[] weights, long[] macs, long trainable, double warmup,
                         long totalIterations, List<long[]> frozenAfter) {}

    public Counts counts() {
        return new Counts(layers, weights, macs, trainable, warmup, totalIterations, List.copyOf(frozenAfter));
    }

    /**
     * A log rebuilt from its {@link #counts()}: every per-iteration number is replayed (an iteration's frozen counts
     * when it ran are the previous iteration's after its freezing); the weights' last level changes are not kept.
     */
    public static FreezeLog replay(Counts c) {
        FreezeLog log = new FreezeLog(c.layers(), c.weights(), c.macs(), c.trainable(), c.warmup(), c.totalIterations());
        long[] before = new long[c.weights().length];
        for (long[] after : c.frozenAfter()) {
            log.record(before, after);
            before = after;
        }
        return log;
    }

    public int iterations() { return frozenAfter.size(); }

    public long totalIterations() { return totalIterations; }

    public double warmup() { return warmup; }

    public List<String> layers() { return layers; }

    /** Frozen weights of layer {@code l} after iteration {@code it} (the target a random-freezing control matches). */
    public long frozenAfter(int it, int l) {
        if (frozenAfter.isEmpty()) return 0;
        return frozenAfter.get(Math.min(it, frozenAfter.size() - 1))[l];
    }

    /** Fraction of quantised weights frozen when each iteration ran. */
    public double[] frozenRatio() { return frozenBefore.stream().mapToDouble(Double::doubleValue).toArray(); }

    /** Fraction of quantised weights frozen at the end. */
    public double finalFrozenRatio() {
        if (frozenAfter.isEmpty()) return 0;
        long f = Arrays.stream(frozenAfter.get(frozenAfter.size() - 1)).sum();
        return f / (double) Arrays.stream(weights).sum();
    }

    /** Updates eliminated: mean over iterations of frozen / all trainable parameters. */
    public double updatesEliminated() { return mean(updatesEliminated); }

    /** Backward FLOPs saved (formula), mean over iterations. */
    public double backwardFlopsSaved() { return mean(backwardSaved); }

    /** The largest frozen ratio seen during warm-up (0 if the schedule is respected). */
    public double maxFrozenDuringWarmup() {
        double m = 0;
        for (int i = 0; i < frozenAfter.size(); i++) {
            if (i / (double) totalIterations >= warmup) break;
            m = Math.max(m, Arrays.stream(frozenAfter.get(i)).sum() / (double) Arrays.stream(weights).sum());
        }
        return m;
    }

    /** How many times any layer's frozen count went down (0: freezing is permanent). */
    public int decreases() {
        int d = 0;
        for (int i = 1; i < frozenAfter.size(); i++)
            for (int l = 0; l < weights.length; l++) if (frozenAfter.get(i)[l] < frozenAfter.get(i - 1)[l]) d++;
        return d;
    }

    /**
     * The scratch-off curve: at each fraction t of training, the fraction of weights that had already reached their
     * final level (their last level change happened at or before t).
     */
    public double[] scratchOff(double[] fractions) {
        double[] sorted = lastChanges.clone();
        Arrays.sort(sorted);
        double[] out = new double[fractions.length];
        for (int i = 0; i < fractions.length; i++) {
            double t = fractions[i] * totalIterations;
            int k = upperBound(sorted, t);
            out[i] = sorted.length == 0 ? Double.NaN : k / (double) sorted.length;
        }
        return out;
    }

    /** Fraction of weights at their final level by {@code fraction} of training. */
    public double settledBy(double fraction) { return scratchOff(new double[]{fraction})[0]; }

    private static int upperBound(double[] a, double v) {
        int lo = 0, hi = a.length;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (a[mid] <= v) lo = mid + 1; else hi = mid; }
        return lo;
    }

    /** Per layer: weights, MACs, final frozen fraction. */
    public Table table() {
        StringColumn name = StringColumn.create("layer");
        LongColumn w = LongColumn.create("weights"), m = LongColumn.create("macs"), f = LongColumn.create("frozen_at_end");
        DoubleColumn r = DoubleColumn.create("frozen_ratio_at_end");
        for (int l = 0; l < layers.size(); l++) {
            name.append(layers.get(l)); w.append(weights[l]); m.append(macs[l]);
            long fr = frozenAfter(iterations() - 1, l);
            f.append(fr); r.append(fr / (double) weights[l]);
        }
        return Table.create("freezing per layer", name, w, m, f, r);
    }

    /** Per iteration: frozen ratio, updates eliminated, backward FLOPs saved. */
    public Table history() {
        IntColumn it = IntColumn.create("iteration");
        DoubleColumn fr = DoubleColumn.create("frozen_ratio"), up = DoubleColumn.create("updates_eliminated"),
                bw = DoubleColumn.create("backward_flops_saved");
        for (int i = 0; i < frozenBefore.size(); i++) {
            it.append(i); fr.append(frozenBefore.get(i)); up.append(updatesEliminated.get(i)); bw.append(backwardSaved.get(i));
        }
        return Table.create("freezing per iteration", it, fr, up, bw);
    }

    /** Frozen ratio over training (x: fraction of training). */
    public XYChart plot(String title) {
        XYChart c = Charts.unitIntervalX(Charts.xy(title, "fraction of QAT iterations", "fraction of weights frozen"));
        addTo(c, "frozen ratio");
        return c;
    }

    /** Adds this log's frozen-ratio curve to {@code c}. */
    public void addTo(XYChart c, String series) {
        double[][] xy = frozenCurve();
        Charts.curve(c, series, xy[0], xy[1]);
    }

    /** The frozen-ratio curve at about 200 points: {x (fraction of training), y (frozen ratio)}. */
    public double[][] frozenCurve() {
        double[] r = frozenRatio();
        int step = Math.max(1, r.length / 200);
        int n = (r.length + step - 1) / step;
        double[][] xy = new double[2][n];
        for (int k = 0, i = 0; i < r.length; i += step, k++) { xy[0][k] = i / (double) totalIterations; xy[1][k] = r[i]; }
        return xy;
    }

    static double mean(List<Double> v) { return v.stream().mapToDouble(Double::doubleValue).average().orElse(0); }

    @Override
    public Object displayValue() { return table(); }

    @Override
    public String toString() {
        return String.format("%d iterations: %.1f%% updates eliminated, %.1f%% backward FLOPs saved, %.1f%% frozen at the end",
                iterations(), 100 * updatesEliminated(), 100 * backwardFlopsSaved(), 100 * finalFrozenRatio());
    }
}
