package org.slimlab.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

/**
 * A batch-level image transform drawn from a seeded generator (reproducible). The standard one is random crop with
 * zero padding plus horizontal flip: {@link #flipCrop(int)}.
 */
@FunctionalInterface
public interface Augmentation {

    /** The augmented copy of {@code x} ({@code [B,C,H,W]}). */
    INDArray apply(INDArray x, Random rng);

    /** Random crop of the zero-padded image (padding {@code pad} each side) and horizontal flip with p = 0.5. */
    static Augmentation flipCrop(int pad) {
        return (x, rng) -> {
            long b = x.size(0), h = x.size(2), w = x.size(3);
            INDArray padded = Nd4j.pad(x, new int[][]{{0, 0}, {0, 0}, {pad, pad}, {pad, pad}});
            INDArray out = x.ulike();
            for (long i = 0; i < b; i++) {
                int dy = rng.nextInt(2 * pad + 1), dx = rng.nextInt(2 * pad + 1);
                out.get(NDArrayIndex.point(i)).assign(padded.get(NDArrayIndex.point(i), NDArrayIndex.all(),
                        NDArrayIndex.interval(dy, dy + h), NDArrayIndex.interval(dx, dx + w)));
            }
            return flip().apply(out, rng);
        };
    }

    /** Horizontal flip only. */
    static Augmentation flip() {
        return (x, rng) -> {
            INDArray mirrored = Flip.along(x, 3);
            INDArray out = x.dup();
            for (long i = 0; i < x.size(0); i++)
                if (rng.nextBoolean()) out.get(NDArrayIndex.point(i)).assign(mirrored.get(NDArrayIndex.point(i)));
            return out;
        };
    }
}
