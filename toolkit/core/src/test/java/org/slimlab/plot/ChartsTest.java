package org.slimlab.plot;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChartsTest {

    @Test
    void lineAndCurveShareOneStyleAndOnlyTheCurveDropsItsMarkers() {
        XYChart c = Charts.xy("t", "x", "y");
        XYSeries line = Charts.line(c, "line", List.of(1, 2), List.of(3, 4));
        XYSeries curve = Charts.curve(c, "curve", new double[] {1, 2}, new double[] {3, 4});
        for (XYSeries s : List.of(line, curve)) {
            assertThat(s.getXYSeriesRenderStyle()).isEqualTo(XYSeries.XYSeriesRenderStyle.Line);
            assertThat(((BasicStroke) s.getLineStyle()).getLineWidth()).isEqualTo(2f);
        }
        assertThat(curve.getMarker()).isSameAs(SeriesMarkers.NONE);
        assertThat(line.getMarker()).isNotSameAs(SeriesMarkers.NONE);
    }
}
