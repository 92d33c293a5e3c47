package org.slimlab.nn;

import java.util.Arrays;

/**
 * A symbolic activation during tracing: its shape without the batch dimension, and the channel space its channels
 * belong to. Channel spaces are what pruning groups are made of: a conv creates a new one, BN/ReLU/pooling keep it,
 * a residual add ties two together. After a flatten, {@code perChannel} says how many features each channel became.
 *
 * @param id         unique per trace
 * @param shape      e.g. {@code [C, H, W]} or {@code [F]}
 * @param space      channel-space id (see {@link Trace#space(int)} for the tied representative)
 * @param perChannel features per channel along the last axis after a flatten (1 otherwise)
 */
public record Tensor(int id, long[] shape, int space, long perChannel) {

    public long channels() { return shape.length == 1 ? shape[0] / perChannel : shape[0]; }

    public long height() { return shape.length == 3 ? shape[1] : 1; }

    public long width() { return shape.length == 3 ? shape[2] : 1; }

    public long numel() { return Arrays.stream(shape).reduce(1, (a, b) -> a * b); }

    @Override
    public String toString() { return Arrays.toString(shape); }
}
