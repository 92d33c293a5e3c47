package org.slimlab.train;

/** Training stopped: the loss diverged, or the run was interrupted. The message says where and what was saved. */
public class TrainingException extends RuntimeException {
    public TrainingException(String message) { super(message); }
}
