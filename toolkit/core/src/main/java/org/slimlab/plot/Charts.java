package org.slimlab.plot;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Table;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * SlimLab's XChart charts in one consistent style, and saving them as PNG and SVG. In the notebook kernel a chart
 * renders inline.
 * <pre>{@code
 * Charts.save(results.plotAccuracyVsMacs(), Path.of("results/baselines/accuracy_vs_macs"));  // .png and .svg
 * }</pre>
 */
public final class Charts {

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf), new Color(0x393b79), new Color(0xad494a), new Color(0x637939),
            new Color(0xce6dbd), new Color(0x8c6d31), new Color(0x3182bd)};

    private Charts() {}

    /** An empty XY chart in the house style. */
    public static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        var s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xe5e5e5));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setSeriesColors(PALETTE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAntiAlias(true);
        c.getStyler().setMarkerSize(8);
        return c;
    }

    /** Fixes the x axis to [0, 1] with ticks every 0.1 (an axis of fractions, e.g. of training). */
    public static XYChart unitIntervalX(XYChart c) {
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisMax(1.0);
        c.getStyler().setXAxisDecimalPattern("0.0");
        c.getStyler().setXAxisTickMarkSpacingHint(60);
        return c;
    }

    /** Adds a series of points joined by a line, with markers. */
    public static XYSeries line(XYChart c, String name, List<? extends Number> x, List<? extends Number> y) {
        return asLine(c.addSeries(name, x, y));
    }

    /** Adds a dense curve: a line without markers (e.g. a quantity per training iteration). */
    public static XYSeries curve(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = asLine(c.addSeries(name, x, y));
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /** The one line style of every joined series: 2 px, solid. */
    private static XYSeries asLine(XYSeries s) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineStyle(new BasicStroke(2f));
        return s;
    }

    /** Adds scattered points (no line). */
    public static XYSeries points(XYChart c, String name, List<? extends Number> x, List<? extends Number> y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        return s;
    }

    /** Train and test accuracy per epoch from a training history table. */
    public static XYChart history(Table h, String title) {
        XYChart c = xy(title + ": accuracy per epoch", "epoch", "top-1 accuracy");
        List<Integer> epochs = h.intColumn("epoch").asList();
        line(c, "train", epochs, h.doubleColumn("train_acc").asList());
        List<Double> test = h.doubleColumn("test_acc").asList();
        line(c, "test", epochs, test.stream().map(v -> v.isNaN() ? null : v).toList()).setMarker(SeriesMarkers.DIAMOND);
        return c;
    }

    /** Writes {@code base.png} and {@code base.svg}. */
    public static void save(Chart<?, ?> chart, Path base) {
        try {
            if (base.getParent() != null) Files.createDirectories(base.getParent());
            BitmapEncoder.saveBitmapWithDPI(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG, 110);
            VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save chart to " + base, e);
        }
    }
}
