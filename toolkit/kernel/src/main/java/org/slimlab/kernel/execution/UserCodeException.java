package org.slimlab.kernel.execution;

/**
 * Wraps what user code threw when it is not an {@link Exception} (an {@link Error} such as
 * {@code OutOfMemoryError}), so it can travel through {@code BaseKernel.eval}'s {@code throws Exception}.
 */
public final class UserCodeException extends Exception {
    public UserCodeException(Throwable thrown) {
        super(thrown.toString(), thrown);
    }
}
