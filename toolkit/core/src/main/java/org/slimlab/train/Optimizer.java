package org.slimlab.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.nn.Param;

import java.util.Map;

/**
 * Updates parameters in place from their gradients at a given learning rate. Stateful (momentum, moments) per
 * parameter; the state is part of checkpoints. Create with {@link Optimizers}.
 */
public interface Optimizer {

    /** {@code p <- p - update(grad)} at learning rate {@code lr}; {@code grad} may be overwritten. */
    void step(Param p, INDArray grad, double lr);

    /** The base learning rate this optimizer was configured with. */
    double baseLr();

    /** Per-parameter state arrays, keyed {@code <param>/<slot>} (for checkpoints). */
    Map<String, INDArray> state();

    /** Restores state saved by {@link #state()}. */
    void load(Map<String, INDArray> state);

    /** Short description for configs, e.g. {@code sgd(lr=0.1, momentum=0.9, wd=5e-4)}. */
    String describe();
}
