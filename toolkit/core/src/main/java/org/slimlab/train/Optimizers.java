package org.slimlab.train;

/** Factories of the optimizers the trainer and the methods use. */
public final class Optimizers {

    private Optimizers() {}

    /** SGD with momentum 0.9 and weight decay 5e-4 on weights (the usual CIFAR recipe). */
    public static Optimizer sgd(double lr) { return sgd(lr, 0.9, false, 5e-4); }

    /** SGD with the given momentum, Nesterov flag and L2 weight decay on weights. */
    public static Optimizer sgd(double lr, double momentum, boolean nesterov, double weightDecay) {
        return new Sgd(lr, momentum, nesterov, weightDecay, false);
    }

    /** Adam with PyTorch's defaults (betas 0.9/0.999, eps 1e-8), no decay. */
    public static Optimizer adam(double lr) { return new Adam(lr, 0.9, 0.999, 1e-8, 0, false); }

    /** Adam with L2 weight decay added to the gradient. */
    public static Optimizer adam(double lr, double weightDecay) { return new Adam(lr, 0.9, 0.999, 1e-8, weightDecay, false); }

    /** AdamW: decoupled weight decay. */
    public static Optimizer adamw(double lr, double weightDecay) { return new Adam(lr, 0.9, 0.999, 1e-8, weightDecay, true); }
}
