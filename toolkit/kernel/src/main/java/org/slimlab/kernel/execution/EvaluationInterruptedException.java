package org.slimlab.kernel.execution;

/** The cell was interrupted (the kernel's interrupt button); the rest of the cell was skipped. */
public final class EvaluationInterruptedException extends Exception {
    public EvaluationInterruptedException(String detail) {
        super(detail);
    }
}
