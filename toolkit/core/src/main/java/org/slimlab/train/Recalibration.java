package org.slimlab.train;

import org.slimlab.data.Batch;
import org.slimlab.data.ImageSet;
import org.slimlab.graph.ChannelMasks;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Graph;
import org.slimlab.nn.Model;
import org.slimlab.nn.Residual;

import java.util.Map;
import java.util.function.Predicate;

/**
 * BatchNorm recalibration: after pruning or for a subnet, the running statistics no longer fit, so they are
 * re-estimated as the exact average over a few hundred training images (no labels, no gradient), identically in
 * every arm (METHODS.md common protocol).
 */
public final class Recalibration {

    /** Images used by default. */
    public static final int DEFAULT_IMAGES = 512;

    private Recalibration() {}

    /** Re-estimates every BN layer's running statistics of the whole model from the first {@code images} images. */
    public static Model bn(Model model, ImageSet data, int images) {
        return bn(model, data, images, null, null, r -> true);
    }

    /** The same for a masked model and/or a depth subnet (identified by {@code subnet} for graph caching). */
    public static Model bn(Model model, ImageSet data, int images, ChannelMasks masks, Object subnet, Predicate<Residual> keep) {
        Compiled g = Graphs.build(model, Graph.Mode.TRAIN, null, masks, subnet, keep);
        int k = 0;
        for (Batch b : data.head(images).sequential(128)) {
            Map<String, org.nd4j.linalg.api.ndarray.INDArray> out = g.outputs(b.x(), null, g.batchStatOutputs().toArray(String[]::new));
            g.foldBatchStats(out, b.size(), 1.0 / (k + 1));   // cumulative average; the first batch replaces the old stats
            k++;
        }
        return model;
    }
}
