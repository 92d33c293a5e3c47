package org.slimlab.gan;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** Grey-scale image grids with row labels (renders inline in the notebook as a picture). */
public final class ImageGrid {

    private static final int LABEL = 110, GAP = 2;

    private ImageGrid() {}

    /**
     * One row per array ({@code [N, 1, H, W]} in [-1, 1]), the first {@code n} images of each, scaled up
     * {@code zoom} times, with the row's label on the left.
     */
    public static BufferedImage of(List<INDArray> rows, List<String> labels, int n, int zoom) {
        if (rows.size() != labels.size()) throw new IllegalArgumentException("one label per row");
        int h = (int) rows.get(0).size(2), w = (int) rows.get(0).size(3);
        int cols = (int) Math.min(n, rows.stream().mapToLong(r -> r.size(0)).min().orElse(0));
        int cellW = w * zoom + GAP, cellH = h * zoom + GAP;
        BufferedImage img = new BufferedImage(LABEL + cols * cellW, rows.size() * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int r = 0; r < rows.size(); r++) {
            g.setColor(Color.BLACK);
            g.drawString(labels.get(r), 4, r * cellH + cellH / 2 + 4);
            // one bulk copy per row of images: [cols, H, W] in [0, 255]
            INDArray px = rows.get(r).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, cols)).reshape(cols, h * w)
                    .add(1).muli(127.5).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
            float[] v = px.data().asFloat();
            for (int c = 0; c < cols; c++) {
                BufferedImage tile = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
                int[] grey = new int[h * w];
                for (int i = 0; i < h * w; i++) grey[i] = Math.max(0, Math.min(255, Math.round(v[c * h * w + i])));
                tile.getRaster().setPixels(0, 0, w, h, grey);
                g.drawImage(tile, LABEL + c * cellW, r * cellH, w * zoom, h * zoom, null);
            }
        }
        g.dispose();
        return img;
    }
}
