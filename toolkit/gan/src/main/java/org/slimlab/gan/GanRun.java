package org.slimlab.gan;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.nn.Model;
import org.slimlab.plot.Charts;
import org.slimlab.ui.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link GanDistillation} produced: the teacher and student generators, the teacher discriminator, the test
 * FID of every generator after every epoch ({@link #history()}, {@link #plot()}), final and best FID, and a picture
 * grid of inputs and outputs ({@link #grid(EdgePairs, int)}). Renders as its FID table.
 */
public final class GanRun implements Displayable {

    /** Per-epoch losses and test FIDs. */
    public static final class History {
        final List<Integer> epochs = new ArrayList<>();
        final List<Double> teacherLoss = new ArrayList<>(), discriminatorLoss = new ArrayList<>(), seconds = new ArrayList<>();
        final List<Map<String, Double>> fids = new ArrayList<>();

        void add(int epoch, double lt, double ld, Map<String, Double> f, double elapsed) {
            epochs.add(epoch);
            teacherLoss.add(lt);
            discriminatorLoss.add(ld);
            fids.add(new LinkedHashMap<>(f));
            seconds.add(elapsed);
        }

        /** One map per epoch, for a checkpoint's metadata. */
        List<Map<String, Object>> toMaps() {
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < epochs.size(); i++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("epoch", epochs.get(i));
                m.put("teacher_loss", teacherLoss.get(i));
                m.put("discriminator_loss", discriminatorLoss.get(i));
                m.put("seconds", seconds.get(i));
                m.put("fid", fids.get(i));
                out.add(m);
            }
            return out;
        }

        /** Restores what {@link #toMaps()} gave (read back from a checkpoint); returns the seconds elapsed by then. */
        @SuppressWarnings("unchecked")
        double restore(List<Map<String, Object>> maps) {
            for (Map<String, Object> m : maps) {
                Map<String, Double> f = new LinkedHashMap<>();
                ((Map<String, Object>) m.get("fid")).forEach((k, v) -> f.put(k, ((Number) v).doubleValue()));
                add(((Number) m.get("epoch")).intValue(), ((Number) m.get("teacher_loss")).doubleValue(),
                        ((Number) m.get("discriminator_loss")).doubleValue(), f, ((Number) m.get("seconds")).doubleValue());
            }
            return seconds.isEmpty() ? 0 : seconds.get(seconds.size() - 1);
        }
    }

    private final Map<String, Model> generators;
    private final Model discriminator;
    private final List<Student> students;
    private final History history;
    private final double seconds;
    private final Map<String, Object> config;

    GanRun(Map<String, Model> generators, Model discriminator, List<Student> students, History history, double seconds, Map<String, Object> config) {
        this.generators = generators;
        this.discriminator = discriminator;
        this.students = students;
        this.history = history;
        this.seconds = seconds;
        this.config = config;
    }

    /** Generators by arm: {@code teacher}, {@code student-l1}, {@code student-dcd}, {@code student-crd}. */
    public Map<String, Model> generators() { return java.util.Collections.unmodifiableMap(generators); }

    public Model generator(String arm) {
        Model m = generators.get(arm);
        if (m == null) throw new IllegalArgumentException("no generator '" + arm + "'; have " + generators.keySet());
        return m;
    }

    public Model teacher() { return generators.get("teacher"); }

    public Model discriminator() { return discriminator; }

    public List<Student> students() { return students; }

    public double seconds() { return seconds; }

    public Map<String, Object> config() { return config; }

    /** Test FID after the last epoch. */
    public double finalFid(String arm) { return history.fids.get(history.fids.size() - 1).get(arm); }

    /** Lowest test FID over the epochs (model selection on the test set: optimistic, reported as such). */
    public double bestFid(String arm) { return history.fids.stream().mapToDouble(m -> m.get(arm)).min().orElse(Double.NaN); }

    /** Epoch (1-based) of the best test FID. */
    public int bestEpoch(String arm) {
        int best = 0;
        for (int i = 1; i < history.fids.size(); i++) if (history.fids.get(i).get(arm) < history.fids.get(best).get(arm)) best = i;
        return history.epochs.get(best);
    }

    /** One row per epoch and generator: epoch, arm, test FID, teacher and discriminator losses. */
    public Table history() {
        IntColumn e = IntColumn.create("epoch");
        StringColumn a = StringColumn.create("arm");
        DoubleColumn f = DoubleColumn.create("test_fid"), lt = DoubleColumn.create("teacher_loss"), ld = DoubleColumn.create("discriminator_loss");
        for (int i = 0; i < history.epochs.size(); i++)
            for (Map.Entry<String, Double> m : history.fids.get(i).entrySet()) {
                e.append(history.epochs.get(i)); a.append(m.getKey()); f.append(m.getValue());
                lt.append(history.teacherLoss.get(i)); ld.append(history.discriminatorLoss.get(i));
            }
        return Table.create("FID per epoch", e, a, f, lt, ld);
    }

    /** Final and best FID with MACs and params per generator. */
    public Table summary() {
        StringColumn a = StringColumn.create("arm");
        DoubleColumn fin = DoubleColumn.create("final_fid"), best = DoubleColumn.create("best_fid");
        IntColumn be = IntColumn.create("best_epoch");
        tech.tablesaw.api.LongColumn macs = tech.tablesaw.api.LongColumn.create("macs"), params = tech.tablesaw.api.LongColumn.create("params");
        for (Map.Entry<String, Model> g : generators.entrySet()) {
            a.append(g.getKey()); fin.append(finalFid(g.getKey())); best.append(bestFid(g.getKey())); be.append(bestEpoch(g.getKey()));
            macs.append(g.getValue().macs()); params.append(g.getValue().params());
        }
        return Table.create("GAN distillation (test FID, lower is better)", a, fin, best, be, macs, params);
    }

    /** Epochs at which FID was measured. */
    public List<Integer> epochs() { return List.copyOf(history.epochs); }

    /** Test FID per measured epoch, by generator. */
    public Map<String, List<Double>> fidPerEpoch() {
        Map<String, List<Double>> m = new LinkedHashMap<>();
        for (String arm : generators.keySet()) m.put(arm, history.fids.stream().map(f -> f.get(arm)).toList());
        return m;
    }

    /** Test FID per epoch, one line per generator. */
    public XYChart plot() { return fidChart("test FID per epoch (lower is better)", epochs(), fidPerEpoch()); }

    /** The FID-per-epoch chart from its numbers (also for runs resumed from a memo). */
    static XYChart fidChart(String title, List<Integer> epochs, Map<String, List<Double>> fidPerEpoch) {
        XYChart c = Charts.xy(title, "epoch", "FID");
        for (Map.Entry<String, List<Double>> e : fidPerEpoch.entrySet())
            Charts.line(c, e.getKey(), epochs, e.getValue()).setMarker(SeriesMarkers.CIRCLE);
        return c;
    }

    /** A picture: for {@code n} test pairs, rows edge map / teacher / each student / real garment. */
    public BufferedImage grid(EdgePairs pairs, int n) {
        List<String> labels = new ArrayList<>(List.of("edge map"));
        List<INDArray> rows = new ArrayList<>(List.of(pairs.testEdges()));
        INDArray in = pairs.testEdges().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(n, pairs.testSize())));
        for (Map.Entry<String, Model> g : generators.entrySet()) {
            labels.add(g.getKey());
            rows.add(GanDistillation.generate(g.getValue(), in));
        }
        labels.add("real");
        rows.add(pairs.testImages());
        return ImageGrid.of(rows, labels, n, 3);
    }

    @Override
    public Object displayValue() { return summary(); }

    @Override
    public String toString() { return summary().printAll(); }
}
