package org.slimlab.plot;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChartDataTest {

    @Test
    void aChartSurvivesJsonWithItsPointsStylesAndMarkers() throws Exception {
        XYChart c = Charts.xy("title", "x axis", "y axis");
        c.getStyler().setXAxisLogarithmic(true);
        Charts.line(c, "curve", List.of(1, 2, 3), List.of(0.5, Double.NaN, 0.25)).setMarker(SeriesMarkers.DIAMOND);
        Charts.points(c, "dots", List.of(10.0), List.of(0.1 + 0.2));
        ObjectMapper json = new ObjectMapper();
        ChartData back = json.readValue(json.writeValueAsString(ChartData.of(c)), ChartData.class);
        assertThat(back).isEqualTo(ChartData.of(c));
        XYChart again = back.chart();
        assertThat(again.getTitle()).isEqualTo("title");
        assertThat(again.getStyler().isXAxisLogarithmic()).isTrue();
        XYSeries curve = again.getSeriesMap().get("curve"), dots = again.getSeriesMap().get("dots");
        assertThat(curve.getYData()).containsExactly(0.5, Double.NaN, 0.25);
        assertThat(curve.getMarker()).isInstanceOf(SeriesMarkers.DIAMOND.getClass());
        assertThat(curve.getXYSeriesRenderStyle()).isEqualTo(XYSeries.XYSeriesRenderStyle.Line);
        assertThat(dots.getXYSeriesRenderStyle()).isEqualTo(XYSeries.XYSeriesRenderStyle.Scatter);
        assertThat(dots.getYData()[0]).isEqualTo(0.1 + 0.2);
        assertThat(again.getStyler().getXAxisMin()).isNull();
    }

    @Test
    void aFixedXRangeSurvivesJson() throws Exception {
        XYChart c = Charts.unitIntervalX(Charts.xy("t", "fraction", "y"));
        Charts.curve(c, "c", new double[]{0, 0.5}, new double[]{1, 2});
        ObjectMapper json = new ObjectMapper();
        XYChart again = json.readValue(json.writeValueAsString(ChartData.of(c)), ChartData.class).chart();
        assertThat(again.getStyler().getXAxisMin()).isEqualTo(0.0);
        assertThat(again.getStyler().getXAxisMax()).isEqualTo(1.0);
        assertThat(again.getStyler().getXAxisDecimalPattern()).isEqualTo("0.0");
        assertThat(again.getStyler().getXAxisTickMarkSpacingHint()).isEqualTo(60);
    }
}
