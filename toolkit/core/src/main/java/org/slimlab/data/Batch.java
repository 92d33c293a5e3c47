package org.slimlab.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One mini-batch: images {@code [B, C, H, W]}, one-hot (or soft) targets {@code [B, classes]} and the integer labels.
 */
public record Batch(INDArray x, INDArray y, int[] labels) {
    public int size() { return labels.length; }
}
