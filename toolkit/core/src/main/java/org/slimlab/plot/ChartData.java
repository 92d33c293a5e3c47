package org.slimlab.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An XY chart as plain numbers (titles, log axes, the x axis's fixed range, tick format and spacing if set, series of
 * points with their line/scatter style and marker), so a chart can be stored as JSON with a run's results and drawn
 * again later in the house style ({@link #chart()}). Fields missing from older JSON read as null: XChart's defaults.
 */
public record ChartData(String title, String xTitle, String yTitle, boolean logX, boolean logY, List<Series> series,
                        Double xMin, Double xMax, String xDecimalPattern, Integer xTickSpacingHint) {

    /** One series: its name, points, whether it is drawn as a line, and its marker (a {@link SeriesMarkers} name). */
    public record Series(String name, double[] x, double[] y, boolean line, String marker) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Series s && name.equals(s.name) && Arrays.equals(x, s.x) && Arrays.equals(y, s.y)
                    && line == s.line && marker.equals(s.marker);
        }

        @Override
        public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(y); }
    }

    private static final String[] MARKER_NAMES = {"NONE", "CIRCLE", "DIAMOND", "SQUARE", "TRIANGLE_UP", "TRIANGLE_DOWN", "CROSS"};
    private static final Marker[] MARKERS = {SeriesMarkers.NONE, SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE,
            SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS};

    /** The numbers of {@code c} (a marker XChart picks by default is stored as {@code DEFAULT}). */
    public static ChartData of(XYChart c) {
        List<Series> series = new ArrayList<>();
        for (XYSeries s : c.getSeriesMap().values())
            series.add(new Series(s.getName(), s.getXData().clone(), s.getYData().clone(),
                    s.getXYSeriesRenderStyle() != XYSeries.XYSeriesRenderStyle.Scatter, markerName(s.getMarker())));
        var st = c.getStyler();
        return new ChartData(c.getTitle(), c.getXAxisTitle(), c.getYAxisTitle(), st.isXAxisLogarithmic(), st.isYAxisLogarithmic(), series,
                st.getXAxisMin(), st.getXAxisMax(), st.getXAxisDecimalPattern(), st.getXAxisTickMarkSpacingHint());
    }

    /** The chart drawn again in the house style. */
    public XYChart chart() {
        XYChart c = Charts.xy(title, xTitle, yTitle);
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setXAxisMin(xMin);
        c.getStyler().setXAxisMax(xMax);
        c.getStyler().setXAxisDecimalPattern(xDecimalPattern);
        if (xTickSpacingHint != null) c.getStyler().setXAxisTickMarkSpacingHint(xTickSpacingHint);
        for (Series s : series) {
            List<Double> x = Arrays.stream(s.x()).boxed().toList(), y = Arrays.stream(s.y()).boxed().toList();
            XYSeries added = s.line() ? Charts.line(c, s.name(), x, y) : Charts.points(c, s.name(), x, y);
            for (int i = 0; i < MARKER_NAMES.length; i++) if (MARKER_NAMES[i].equals(s.marker())) added.setMarker(MARKERS[i]);
        }
        return c;
    }

    private static String markerName(Marker m) {
        if (m == null) return "DEFAULT";
        for (int i = 0; i < MARKERS.length; i++) if (MARKERS[i].getClass() == m.getClass()) return MARKER_NAMES[i];
        return "DEFAULT";
    }
}
