package org.slimlab.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The scalar a training graph minimises, built from the model's logits and the (possibly soft) one-hot labels.
 * Objectives that need more per-batch inputs declare them with {@link Graph#extraInput} and supply them in
 * {@link #feed}. Graphs are cached per objective instance, so keep one instance per run.
 */
@FunctionalInterface
public interface Objective {

    /** The loss variable (a scalar). */
    SDVariable loss(Graph g, SDVariable logits, SDVariable labels);

    /** Values of the extra inputs this objective declared, for one batch. */
    default Map<String, INDArray> feed(INDArray x, INDArray labels) { return Map.of(); }
}
