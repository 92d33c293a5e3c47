package org.slimlab.kernel.render;

import io.github.spencerpark.jupyter.kernel.display.RenderContext;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * XChart charts inline: image/png by default (what notebooks show and store compactly), image/svg+xml on request
 * ({@code display(chart, "image/svg+xml")}), both via XChart's own encoders.
 */
public final class ChartRenderer {

    private ChartRenderer() {}

    public static void register(Renderer renderer) {
        renderer.createRegistration(Chart.class)
                .preferring(MIMEType.IMAGE_PNG)
                .supporting(MIMEType.IMAGE_SVG)
                .register(ChartRenderer::render);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static void render(Chart chart, RenderContext context) {
        context.renderIfRequested(MIMEType.IMAGE_PNG, () -> png(chart));
        context.renderIfRequested(MIMEType.IMAGE_SVG, () -> svg(chart));
        context.getOutputContainer().putText(chart.getClass().getSimpleName() + " \"" + chart.getTitle() + "\" "
                + chart.getWidth() + "x" + chart.getHeight());
    }

    /** The chart as a base64 PNG (what Jupyter's image/png expects). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static String png(Chart chart) {
        try {
            return Base64.getEncoder().encodeToString(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart as an SVG document. */
    @SuppressWarnings("rawtypes")
    public static String svg(Chart chart) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
