package org.slimlab.kernel.render;

import io.github.spencerpark.jupyter.kernel.display.RenderContext;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** ND4J arrays: shape and dtype, then the values (abbreviated past {@value #MAX_ELEMENTS} elements). */
public final class NDArrayRenderer {

    /** Arrays with more elements than this show a summary of their values. */
    public static final int MAX_ELEMENTS = 200;

    private NDArrayRenderer() {}

    public static void register(Renderer renderer) {
        renderer.createRegistration(INDArray.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register(NDArrayRenderer::render);
    }

    static void render(INDArray a, RenderContext context) {
        String header = header(a);
        String values = values(a);
        context.renderIfRequested(MIMEType.TEXT_HTML, () -> "<div class=\"slimlab-ndarray\"><b>" + Html.escape(header)
                + "</b><pre>" + Html.escape(values) + "</pre></div>");
        context.getOutputContainer().putText(header + "\n" + values);
    }

    /** {@code INDArray float [2, 3] (6 elements)}. */
    public static String header(INDArray a) {
        return "INDArray " + a.dataType().toString().toLowerCase() + " " + Arrays.toString(a.shape())
                + " (" + a.length() + (a.length() == 1 ? " element)" : " elements)");
    }

    /** The values, ND4J's text form, summarised when long. */
    public static String values(INDArray a) {
        if (a.isEmpty()) return "[]";
        return a.toString(MAX_ELEMENTS, false, 4);
    }
}
