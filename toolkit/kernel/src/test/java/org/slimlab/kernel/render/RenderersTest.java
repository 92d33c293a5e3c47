package org.slimlab.kernel.render;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.common.Image;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.slimlab.ui.Displayable;
import org.slimlab.ui.Progress;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Base64;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RenderersTest {

    final Renderer renderer = renderer();

    static Renderer renderer() {
        Renderer r = new Renderer();
        Image.registerAll(r);
        return Renderers.registerAll(r);
    }

    static XYChart chart() {
        XYChart c = new XYChartBuilder().width(300).height(200).title("acc vs MACs").build();
        c.addSeries("dense", new double[]{1, 2, 3}, new double[]{0.9, 0.92, 0.93});
        return c;
    }

    static boolean isPng(Object base64) {
        byte[] b = Base64.getDecoder().decode((String) base64);
        return b.length > 8 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    @Test
    void chartsRenderAsPngAndOnRequestSvg() {
        DisplayData d = renderer.render(chart());
        assertThat(isPng(d.getData(MIMEType.IMAGE_PNG))).isTrue();
        assertThat((String) d.getData(MIMEType.TEXT_PLAIN)).contains("acc vs MACs");
        DisplayData svg = renderer.renderAs(chart(), "image/svg+xml");
        assertThat((String) svg.getData(MIMEType.IMAGE_SVG)).contains("<svg");
        assertThat(svg.hasDataForType(MIMEType.IMAGE_PNG)).isFalse();
    }

    @Test
    void shortTablesRenderFullyAsHtmlWithRowCount() {
        Table t = Table.create("results", IntColumn.create("seed", 1, 2), DoubleColumn.create("acc", 0.9, 0.91));
        DisplayData d = renderer.render(t);
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        assertThat(html).contains("<th>seed</th>", "<td>0.91</td>", "2 rows × 2 columns", "<caption>results</caption>");
        assertThat((String) d.getData(MIMEType.TEXT_PLAIN)).contains("seed", "acc");
    }

    @Test
    void longTablesAreTruncatedWithANote() {
        Table t = Table.create("long", IntColumn.create("i", IntStream.range(0, 1000).toArray()));
        String html = (String) renderer.render(t).getData(MIMEType.TEXT_HTML);
        assertThat(html).contains("1000 rows × 1 column", "showing 30 first and 10 last rows", "<td>999</td>")
                .doesNotContain("<td>500</td>");
        assertThat((String) renderer.render(t).getData(MIMEType.TEXT_PLAIN)).contains("1000 rows");
    }

    @Test
    void buffered_imagesRenderAsPng() {
        DisplayData d = renderer.render(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB));
        assertThat(isPng(d.getData(MIMEType.IMAGE_PNG))).isTrue();
    }

    @Test
    void displayablesRenderTheirDisplayValueRecursively() {
        Displayable inner = () -> chart();
        Displayable outer = () -> inner;
        DisplayData d = renderer.render(outer);
        assertThat(isPng(d.getData(MIMEType.IMAGE_PNG))).isTrue();
    }

    @Test
    void otherObjectsFallBackToToString() {
        DisplayData d = renderer.render(new StringBuilder("plain"));
        assertThat(d.getData(MIMEType.TEXT_PLAIN)).isEqualTo("plain");
    }

    @Test
    void progressRendersAsOneLineAndABar() {
        DisplayData d = NotebookLiveView.render("train", new Progress("epoch 2/5", 30, 100, "loss 0.41 acc 0.86", Duration.ofSeconds(75)));
        assertThat(d.getData(MIMEType.TEXT_PLAIN)).isEqualTo("epoch 2/5 30/100 (30%)  loss 0.41 acc 0.86  ETA 1m15s");
        assertThat((String) d.getData(MIMEType.TEXT_HTML)).contains("<progress value=\"30\" max=\"100\"", "loss 0.41", "ETA 1m15s");
    }
}
