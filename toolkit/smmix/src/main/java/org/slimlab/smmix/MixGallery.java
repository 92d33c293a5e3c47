package org.slimlab.smmix;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * A picture of SMMix batches for notebooks: one row per example with the target image (its min-attention window in
 * red), the source image (its max-attention window in green) and the mixed image (the pasted window in green).
 * The kernel renders the returned {@link BufferedImage} inline.
 * <pre>{@code
 * var m = SMMix.of(vit).mix(batch, 3);
 * MixGallery.of(batch.x(), m.result(), 4, vit.patchEmbed().patch());    // 4 examples
 * }</pre>
 */
public final class MixGallery {

    private static final int SCALE = 4, GAP = 8, HEADER = 22;

    private MixGallery() {}

    /** {@code rows} examples of the unmixed {@code x} and the mix result (grey-scale, each image min-max scaled). */
    public static BufferedImage of(INDArray x, MaxMinMix.Result r, int rows, int patch) {
        int b = (int) x.size(0), h = (int) x.size(2), w = (int) x.size(3), n = Math.min(rows, b);
        int cw = w * SCALE, ch = h * SCALE;
        BufferedImage img = new BufferedImage(3 * cw + 4 * GAP, HEADER + n * (ch + GAP) + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        String[] titles = {"target (min)", "source (max)", String.format("mixed, \u03bb %.2f", r.lambda())};
        for (int c = 0; c < 3; c++) g.drawString(titles[c], GAP + c * (cw + GAP), 15);
        int k = r.target().k();
        for (int i = 0; i < n; i++) {
            int y0 = HEADER + i * (ch + GAP), j = b - 1 - i;
            draw(g, x.get(NDArrayIndex.point(i)), GAP, y0);
            draw(g, x.get(NDArrayIndex.point(j)), 2 * GAP + cw, y0);
            draw(g, r.images().get(NDArrayIndex.point(i)), 3 * GAP + 2 * cw, y0);
            box(g, Color.RED, GAP, y0, r.target().rows()[i], r.target().cols()[i], k, patch);
            box(g, Color.GREEN, 2 * GAP + cw, y0, r.source().rows()[i], r.source().cols()[i], k, patch);
            box(g, Color.GREEN, 3 * GAP + 2 * cw, y0, r.target().rows()[i], r.target().cols()[i], k, patch);
        }
        g.dispose();
        return img;
    }

    /** Draws {@code [C, H, W]} (first channel, or the mean of three as RGB) scaled up. */
    private static void draw(Graphics2D g, INDArray image, int x0, int y0) {
        int c = (int) image.size(0), h = (int) image.size(1), w = (int) image.size(2);
        double min = image.minNumber().doubleValue(), max = image.maxNumber().doubleValue(), span = Math.max(1e-9, max - min);
        float[] v = image.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup().data().asFloat();
        BufferedImage tile = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int yy = 0; yy < h; yy++)
            for (int xx = 0; xx < w; xx++) {
                int[] rgb = new int[3];
                for (int ch = 0; ch < 3; ch++) {
                    int plane = c == 3 ? ch : 0;
                    rgb[ch] = (int) Math.round(255 * (v[plane * h * w + yy * w + xx] - min) / span);
                }
                tile.setRGB(xx, yy, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
            }
        g.drawImage(tile, x0, y0, w * SCALE, h * SCALE, null);
    }

    private static void box(Graphics2D g, Color color, int x0, int y0, int row, int col, int k, int patch) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        g.drawRect(x0 + col * patch * SCALE, y0 + row * patch * SCALE, k * patch * SCALE - 1, k * patch * SCALE - 1);
    }
}
