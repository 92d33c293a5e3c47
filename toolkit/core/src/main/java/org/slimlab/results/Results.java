package org.slimlab.results;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slimlab.plot.Charts;
import org.slimlab.ui.Displayable;
import tech.tablesaw.aggregate.AggregateFunctions;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared results table (DESIGN.md): one row per (method, arm, seed, scale) with accuracy, MACs and params of the
 * network actually evaluated, ratios to the dense model, wall time, epochs, seed, config hash, git commit and
 * start time. Saved as CSV; several CSVs merge on read. Renders as its table; {@link #plotAccuracyVsMacs()} plots it.
 */
public final class Results implements Displayable {

    private final Table table;
    private final java.util.Map<String, String> configs = new java.util.TreeMap<>();

    private Results(Table table) { this.table = table; }

    /** Records the config JSON behind a config hash; {@link #save} writes them to {@code configs.json}. */
    public Results config(String hash, String json) {
        if (hash != null && !hash.isEmpty()) configs.put(hash, json);
        return this;
    }

    /** Recorded configs by hash. */
    public java.util.Map<String, String> configs() { return java.util.Collections.unmodifiableMap(configs); }

    /** An empty results table. */
    public static Results create() {
        return new Results(Table.create("results",
                StringColumn.create("method"), StringColumn.create("arm"), IntColumn.create("seed"), StringColumn.create("scale"),
                DoubleColumn.create("accuracy"), LongColumn.create("macs"), LongColumn.create("params"),
                DoubleColumn.create("macs_ratio"), DoubleColumn.create("params_ratio"), DoubleColumn.create("wall_s"),
                IntColumn.create("epochs"), StringColumn.create("config_hash"), StringColumn.create("git_commit"),
                StringColumn.create("started_at"), StringColumn.create("note")));
    }

    /** Appends a row; returns this. */
    public Results add(ResultRow r) {
        table.stringColumn("method").append(r.method());
        table.stringColumn("arm").append(r.arm());
        table.intColumn("seed").append(r.seed());
        table.stringColumn("scale").append(r.scale());
        table.doubleColumn("accuracy").append(r.accuracy());
        table.longColumn("macs").append(r.macs());
        table.longColumn("params").append(r.params());
        table.doubleColumn("macs_ratio").append(r.macsRatio());
        table.doubleColumn("params_ratio").append(r.paramsRatio());
        table.doubleColumn("wall_s").append(r.wallSeconds());
        table.intColumn("epochs").append(r.epochs());
        table.stringColumn("config_hash").append(r.configHash());
        table.stringColumn("git_commit").append(RunInfo.gitCommit());
        table.stringColumn("started_at").append(r.startedAt());
        table.stringColumn("note").append(r.note() == null ? "" : r.note());
        return this;
    }

    /** Every row of {@code other} appended to this. */
    public Results addAll(Results other) {
        table.append(other.table);
        configs.putAll(other.configs);
        return this;
    }

    public Table table() { return table; }

    public int size() { return table.rowCount(); }

    /** Mean, standard deviation and count of accuracy per (method, arm), with mean MACs ratio. */
    public Table summary() {
        Table s = table.summarize("accuracy", "macs_ratio", AggregateFunctions.mean, AggregateFunctions.stdDev, AggregateFunctions.count)
                .by("method", "arm");
        return s.setName("summary");
    }

    /** Writes the table as CSV. */
    public Path save(Path csv) {
        try {
            if (csv.getParent() != null) Files.createDirectories(csv.getParent());
            table.write().csv(csv.toFile());
            if (!configs.isEmpty()) {
                StringBuilder j = new StringBuilder("{\n");
                int i = 0;
                for (var e : configs.entrySet())
                    j.append("  \"").append(e.getKey()).append("\": ").append(e.getValue().replace("\n", "\n  "))
                            .append(++i < configs.size() ? ",\n" : "\n");
                Files.writeString(csv.resolveSibling("configs.json"), j.append("}\n").toString());
            }
            return csv;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one CSV, or every {@code *.csv} under a directory, merged. */
    public static Results read(Path path) {
        Results all = create();
        try {
            List<Path> files = Files.isDirectory(path)
                    ? Files.walk(path).filter(p -> p.getFileName().toString().equals("results.csv")).sorted().toList()
                    : List.of(path);
            for (Path f : files) {
                // every column typed as written (inference would read a column of whole-number ratios as integers)
                Map<String, tech.tablesaw.api.ColumnType> types = new java.util.HashMap<>();
                for (var c : all.table.columns()) types.put(c.name(), c.type());
                Table t = Table.read().csv(CsvReadOptions.builder(f.toFile()).columnTypesPartial(types).build());
                all.table.append(t.select(all.table.columnNames().toArray(String[]::new)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** Accuracy against MACs, one series per (method,) arm, mean over seeds with the points of each seed. */
    public XYChart plotAccuracyVsMacs() { return plotAccuracyVsMacs("accuracy vs MACs"); }

    public XYChart plotAccuracyVsMacs(String title) {
        XYChart c = Charts.xy(title, "MACs (millions, counted on the evaluated network)", "top-1 test accuracy");
        c.getStyler().setXAxisDecimalPattern("#,##0.##");   // "2.36", not "2.364864", when ticks fall on the data
        Map<String, List<double[]>> byArm = new LinkedHashMap<>();
        boolean manyMethods = table.stringColumn("method").unique().size() > 1;
        for (int i = 0; i < table.rowCount(); i++) {
            // an arm run at several targets ("l1@50%", "l1@25%") is one series: a line across its targets
            String arm = (manyMethods ? table.stringColumn("method").get(i) + "/" : "") + table.stringColumn("arm").get(i).replaceAll("@[^/]*$", "");
            byArm.computeIfAbsent(arm, k -> new ArrayList<>())
                    .add(new double[]{table.longColumn("macs").get(i) / 1e6, table.doubleColumn("accuracy").get(i)});
        }
        double minX = byArm.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).filter(v -> v > 0).min().orElse(1);
        double maxX = byArm.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).max().orElse(1);
        if (maxX / minX > 8) {   // models of very different size: a log axis keeps both readable
            c.getStyler().setXAxisLogarithmic(true);
            c.setXAxisTitle("MACs (millions, log scale, counted on the evaluated network)");
        }
        for (Map.Entry<String, List<double[]>> e : byArm.entrySet()) {
            // mean accuracy per distinct MACs value: an arm at several targets becomes a line
            Map<Double, List<Double>> at = new java.util.TreeMap<>();
            for (double[] p : e.getValue()) at.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p[1]);
            List<Double> xs = new ArrayList<>(at.keySet()), ys = at.values().stream()
                    .map(l -> l.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)).toList();
            var s = xs.size() > 1 ? Charts.line(c, e.getKey(), xs, ys) : Charts.points(c, e.getKey(), xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return c;
    }

    @Override
    public Object displayValue() { return table; }

    @Override
    public String toString() { return table.print(); }
}
