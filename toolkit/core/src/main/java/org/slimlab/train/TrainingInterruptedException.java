package org.slimlab.train;

/** The thread was interrupted (a notebook's stop button, Ctrl-C); thrown between steps, state intact. */
public final class TrainingInterruptedException extends TrainingException {
    public TrainingInterruptedException(String message) { super(message); }
}
