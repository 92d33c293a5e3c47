package org.slimlab.smmix;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slimlab.mix.Labels;

/**
 * SMMix steps 4 and 5 (arXiv 2212.12977): image i (the target) is paired with image {@code B-1-i} (the source);
 * the source's {@code k x k} patches of maximum attention are pasted into the target's window of minimum attention
 * (the positions may differ). {@code lambda = 1 - k^2 / N}; the source mask marks the pasted tokens of the mixed
 * image, the target mask the rest.
 */
public final class MaxMinMix {

    /**
     * A mixed batch: images {@code [B, C, H, W]}, the source-token mask {@code [B, N]} (1 = pasted), lambda (share of
     * the target), and the windows: {@code target} in each mixed image, {@code source} in each source image
     * (row i = the window taken from image {@code B-1-i}).
     */
    public record Result(INDArray images, INDArray sourceMask, double lambda, Windows.Choice target, Windows.Choice source) {
        /** {@code 1 - sourceMask}. */
        public INDArray targetMask() { return sourceMask.rsub(1.0); }
    }

    private MaxMinMix() {}

    /**
     * Mixes {@code x} ({@code [B, C, gh*patch, gw*patch]}) given per-patch scores {@code [B, gh, gw]} and the window
     * side {@code k}.
     */
    public static Result mix(INDArray x, INDArray scores, int k, int patch) {
        long b = x.size(0), gh = scores.size(1), gw = scores.size(2);
        if (scores.size(0) != b || x.size(2) != gh * patch || x.size(3) != gw * patch)
            throw new IllegalArgumentException("scores " + java.util.Arrays.toString(scores.shape()) + " do not match images "
                    + java.util.Arrays.toString(x.shape()) + " with patch " + patch);
        Windows.Choice min = Windows.choose(scores, k, false), max = Windows.choose(scores, k, true);
        int[] srcRows = reverse(max.rows()), srcCols = reverse(max.cols());   // row i: the window of image B-1-i
        INDArray mixed = x.dup(), mask = Nd4j.zeros(x.dataType(), b, gh, gw);
        for (int i = 0; i < b; i++) {
            int j = (int) (b - 1 - i), rt = min.rows()[i], ct = min.cols()[i], rs = srcRows[i], cs = srcCols[i];
            mixed.get(point(i), NDArrayIndex.all(), pixels(rt, k, patch), pixels(ct, k, patch))
                    .assign(x.get(point(j), NDArrayIndex.all(), pixels(rs, k, patch), pixels(cs, k, patch)));
            mask.get(point(i), NDArrayIndex.interval(rt, rt + k), NDArrayIndex.interval(ct, ct + k)).assign(1);
        }
        double lambda = 1 - k * k / (double) (gh * gw);
        return new Result(mixed, mask.reshape(b, gh * gw), lambda, min, new Windows.Choice(srcRows, srcCols, k));
    }

    /** Smoothed one-hot targets of the mixed batch: {@code lambda y_t + (1 - lambda) y_s}, y_s the partner's. */
    public static INDArray mixedTargets(int[] labels, int classes, double smoothing, double lambda) {
        INDArray y = Labels.smooth(labels, classes, smoothing);
        return Labels.mix(y, Labels.partner(y), lambda);
    }

    private static INDArrayIndex point(long i) { return NDArrayIndex.point(i); }

    private static INDArrayIndex pixels(int token, int k, int patch) {
        return NDArrayIndex.interval((long) token * patch, (long) (token + k) * patch);
    }

    private static int[] reverse(int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[a.length - 1 - i];
        return r;
    }
}
