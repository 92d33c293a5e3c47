package org.slimlab.repro;

import org.knowm.xchart.XYChart;
import org.slimlab.plot.Charts;
import org.slimlab.results.Results;
import org.slimlab.ui.Displayable;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reproduction produced: the results rows, the claims checked, the accuracy-vs-MACs plot and any extra
 * plots. {@link #save(Path)} writes results.csv, claims.csv, accuracy_vs_macs.png/.svg (and the extras).
 */
public final class ReproductionResult implements Displayable {

    private final String method, title;
    private final Scale scale;
    private final Results results;
    private final List<Claim> claims;
    private final XYChart plot;
    private final Map<String, XYChart> extraPlots;
    private final double seconds;

    public ReproductionResult(String method, String title, Scale scale, Results results, List<Claim> claims,
                              XYChart plot, Map<String, XYChart> extraPlots, double seconds) {
        this.method = method;
        this.title = title;
        this.scale = scale;
        this.results = results;
        this.claims = List.copyOf(claims);
        this.plot = plot;
        this.extraPlots = new LinkedHashMap<>(extraPlots);
        this.seconds = seconds;
    }

    public String method() { return method; }
    public String title() { return title; }
    public Scale scale() { return scale; }
    public Results results() { return results; }
    public double seconds() { return seconds; }
    public List<Claim> claimList() { return claims; }
    public Map<String, XYChart> extraPlots() { return extraPlots; }

    /** The results table. */
    public Table table() { return results.table(); }

    /** Claims as a table: statement, measured, threshold, holds. */
    public Table claims() {
        StringColumn s = StringColumn.create("statement"), th = StringColumn.create("threshold");
        DoubleColumn m = DoubleColumn.create("measured");
        BooleanColumn h = BooleanColumn.create("holds");
        for (Claim c : claims) { s.append(c.statement()); m.append(c.measured()); th.append(c.threshold()); h.append(c.holds()); }
        return Table.create(method + " claims", s, m, th, h);
    }

    /** The accuracy-vs-MACs plot of all arms. */
    public XYChart plot() { return plot; }

    /** Writes {@code dir/results.csv}, {@code claims.csv}, {@code accuracy_vs_macs.png/.svg} and extra plots. */
    public Path save(Path dir) {
        try {
            Files.createDirectories(dir);
            results.save(dir.resolve("results.csv"));
            claims().write().csv(dir.resolve("claims.csv").toFile());
            Charts.save(plot, dir.resolve("accuracy_vs_macs"));
            for (Map.Entry<String, XYChart> e : extraPlots.entrySet()) Charts.save(e.getValue(), dir.resolve(e.getKey()));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of the saved plot files (without extension), the accuracy-vs-MACs plot first. */
    public List<String> plotNames() {
        List<String> n = new ArrayList<>(List.of("accuracy_vs_macs"));
        n.addAll(extraPlots.keySet());
        return n;
    }

    @Override
    public Object displayValue() { return results.summary(); }

    @Override
    public String toString() {
        long held = claims.stream().filter(Claim::holds).count();
        return String.format("%s (%s): %d rows, %d/%d claims hold, %.0f s", method, scale.label(), results.size(), held, claims.size(), seconds);
    }
}
