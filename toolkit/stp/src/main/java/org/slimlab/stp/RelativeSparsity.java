package org.slimlab.stp;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slimlab.nn.Conv2d;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.plot.Charts;
import org.slimlab.prune.ChannelGroup;
import org.slimlab.prune.ChannelGroups;
import org.slimlab.prune.Importance;
import org.slimlab.ui.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "relative sparsity" measurement of STP (arXiv 2403.06417): for a pruning decision that keeps, in every channel
 * group, the {@code keepFraction} filters with the largest L1 norm, the mean |w| over the kept filters' weights and
 * over the dropped filters' weights, and their ratio. Under stimulative training the ratio rises while the dropped
 * weights keep their magnitude; under group lasso the dropped weights go to ~0. Records a trace over training
 * (one row per arm, target and epoch) and plots it.
 * <pre>{@code
 * var rs = new RelativeSparsity();
 * train(net).on(data).onEpoch(e -> rs.record("A", 0.15, e.epoch(), net, keep)).fit();
 * rs.table(); rs.plot();
 * }</pre>
 */
public final class RelativeSparsity implements Displayable {

    /** Mean |w| of kept and dropped filters. */
    public record Measure(double kept, double dropped) {
        public double ratio() { return kept / dropped; }
    }

    /** One measurement: {@code arm} at {@code target} after {@code epoch}. */
    public record Row(String arm, double target, int epoch, Measure m) {}

    private final List<Row> rows = new ArrayList<>();

    /** Kept/dropped mean |w| of {@code model}'s producer filters when each group keeps {@code keepFraction} of its channels. */
    public static Measure measure(Model model, double keepFraction) {
        double keptSum = 0, droppedSum = 0;
        long keptCount = 0, droppedCount = 0;
        for (ChannelGroup g : ChannelGroups.of(model)) {
            int k = Math.max(1, (int) Math.round(keepFraction * g.channels()));
            if (k >= g.channels()) continue;
            boolean[] kept = new boolean[g.channels()];
            for (int c : Importance.topK(Importance.l1(g), k)) kept[c] = true;
            for (Module p : g.producers()) {
                INDArray w = p instanceof Conv2d c ? c.weight().value() : ((Linear) p).weight().value();
                INDArray a = Transforms.abs(w, true);
                double[] perChannel = (p instanceof Conv2d ? a.sum(0, 1, 2) : a.sum(0)).toDoubleVector();
                long perFilter = w.length() / g.channels();
                for (int c = 0; c < perChannel.length; c++) {
                    if (kept[c]) { keptSum += perChannel[c]; keptCount += perFilter; }
                    else { droppedSum += perChannel[c]; droppedCount += perFilter; }
                }
            }
        }
        if (droppedCount == 0) throw new IllegalArgumentException("keep fraction " + keepFraction + " drops no channel");
        return new Measure(keptSum / keptCount, droppedSum / droppedCount);
    }

    /** Measures {@code model} now and records it for {@code arm} at {@code target} after {@code epoch}. */
    public synchronized Measure record(String arm, double target, int epoch, Model model, double keepFraction) {
        Measure m = measure(model, keepFraction);
        rows.add(new Row(arm, target, epoch, m));
        return m;
    }

    /** Everything recorded so far, in order (to keep with a run's results). */
    public synchronized List<Row> rows() { return List.copyOf(rows); }

    /** Appends measurements recorded elsewhere (a resumed run's). */
    public synchronized RelativeSparsity addAll(List<Row> more) {
        rows.addAll(more);
        return this;
    }

    /** arm, target, epoch, kept, dropped, ratio. */
    public synchronized Table table() {
        StringColumn arm = StringColumn.create("arm");
        DoubleColumn target = DoubleColumn.create("target"), kept = DoubleColumn.create("mean_abs_kept"),
                dropped = DoubleColumn.create("mean_abs_dropped"), ratio = DoubleColumn.create("ratio");
        IntColumn epoch = IntColumn.create("epoch");
        for (Row r : rows) {
            arm.append(r.arm()); target.append(r.target()); epoch.append(r.epoch());
            kept.append(r.m().kept()); dropped.append(r.m().dropped()); ratio.append(r.m().ratio());
        }
        return Table.create("relative sparsity: mean |W_kept| / mean |W_dropped|", arm, target, epoch, kept, dropped, ratio);
    }

    /** The first and last record of each (arm, target) with the change of the ratio and of the dropped magnitude. */
    public synchronized Table summary() {
        Map<String, List<Row>> by = new LinkedHashMap<>();
        for (Row r : rows) by.computeIfAbsent(r.arm() + "@" + fmt(r.target()), k -> new ArrayList<>()).add(r);
        StringColumn arm = StringColumn.create("arm");
        DoubleColumn r0 = DoubleColumn.create("ratio_start"), r1 = DoubleColumn.create("ratio_end"),
                d0 = DoubleColumn.create("dropped_start"), d1 = DoubleColumn.create("dropped_end"), k1 = DoubleColumn.create("kept_end");
        for (var e : by.entrySet()) {
            Row a = e.getValue().get(0), b = e.getValue().get(e.getValue().size() - 1);
            arm.append(e.getKey()); r0.append(a.m().ratio()); r1.append(b.m().ratio());
            d0.append(a.m().dropped()); d1.append(b.m().dropped()); k1.append(b.m().kept());
        }
        return Table.create("relative sparsity, start vs end of training", arm, r0, r1, d0, d1, k1);
    }

    /** The last recorded measure of {@code arm} at {@code target}. */
    public synchronized Measure last(String arm, double target) {
        for (int i = rows.size() - 1; i >= 0; i--)
            if (rows.get(i).arm().equals(arm) && rows.get(i).target() == target) return rows.get(i).m();
        throw new IllegalArgumentException("nothing recorded for " + arm + " at " + target);
    }

    /** Ratio over epochs (log axis: group lasso's ratio reaches 1e5 while ST's moves by tenths), one line per (arm, target). */
    public XYChart plot() { return plot(false); }

    /** Mean |W_dropped| over epochs (log axis), one line per (arm, target). */
    public XYChart plotDropped() { return plot(true); }

    private synchronized XYChart plot(boolean dropped) {
        XYChart c = Charts.xy(dropped ? "dropped filters' mean |w| over training" : "relative sparsity over training",
                "epoch", dropped ? "mean |W_dropped| (log)" : "mean |W_kept| / mean |W_dropped| (log)");
        Map<String, List<Row>> by = new LinkedHashMap<>();
        for (Row r : rows) by.computeIfAbsent(r.arm() + "@" + fmt(r.target()), k -> new ArrayList<>()).add(r);
        for (var e : by.entrySet()) {
            List<Integer> x = e.getValue().stream().map(Row::epoch).toList();
            List<Double> y = e.getValue().stream().map(r -> dropped ? r.m().dropped() : r.m().ratio()).toList();
            var s = x.size() > 1 ? Charts.line(c, e.getKey(), x, y) : Charts.points(c, e.getKey(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        c.getStyler().setYAxisLogarithmic(true);
        return c;
    }

    private static String fmt(double t) { return Math.round(t * 100) + "%"; }

    @Override
    public Object displayValue() { return summary(); }
}
