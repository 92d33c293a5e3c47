package org.slimlab.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.nn.Module;

/**
 * Multiplies channels by a mask after chosen layers while a graph is built. Pruning installs hard 0/1 masks
 * (equivalent to slicing); differentiable pruners install soft masks computed from their own variables.
 */
public interface ChannelMasks {

    /** {@code y} (NCHW or NC) after {@code producer}, masked if the producer is a mask point, else unchanged. */
    SDVariable apply(Graph g, Module producer, SDVariable y);
}
