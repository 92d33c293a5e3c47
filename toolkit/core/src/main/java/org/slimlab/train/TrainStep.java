package org.slimlab.train;

import org.slimlab.data.Batch;

/**
 * One training iteration on one batch. The default step minimises the trainer's objective on the whole model;
 * methods (pruning with masks, distillation with subnets, quantisation) supply their own, computing gradients with
 * any graphs they need and handing them to {@link StepContext#update}.
 */
@FunctionalInterface
public interface TrainStep {

    /** Runs the iteration; returns the loss to report and the logits the accuracy is measured on. */
    StepResult step(StepContext ctx, Batch batch);

    /** What an iteration reports. */
    record StepResult(double loss, org.nd4j.linalg.api.ndarray.INDArray logits) {}
}
