package org.slimlab.mix;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.data.Flip;

/**
 * Soft targets of image mixing (timm's {@code mixup_target}): label smoothing ({@code off = s / C},
 * {@code on = 1 - s + s / C}), the partner pairing of image {@code i} with image {@code B-1-i} (the batch flipped),
 * and the mix {@code lambda y_target + (1 - lambda) y_source}.
 */
public final class Labels {

    private Labels() {}

    /** Smoothed one-hot targets {@code [B, classes]} (float32); {@code smoothing} 0 gives plain one-hot. */
    public static INDArray smooth(int[] labels, int classes, double smoothing) {
        if (smoothing < 0 || smoothing >= 1) throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + smoothing);
        double off = smoothing / classes, on = 1 - smoothing + off;
        INDArray y = Nd4j.valueArrayOf(new long[]{labels.length, classes}, off, DataType.FLOAT);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes)
                throw new IllegalArgumentException("label " + labels[i] + " out of range for " + classes + " classes");
            y.putScalar(i, labels[i], on);
        }
        return y;
    }

    /** The batch in reverse order along axis 0: row i of the result is the partner of image i. */
    public static INDArray partner(INDArray batch) {
        return Flip.along(batch, 0);
    }

    /** {@code lambda * target + (1 - lambda) * source}. */
    public static INDArray mix(INDArray target, INDArray source, double lambda) {
        return target.mul(lambda).addi(source.mul(1 - lambda));
    }
}
