package org.slimlab.gan;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Image degradations for FID sanity checks: box blur and Gaussian noise, on {@code [N, C, H, W]} in [-1, 1]. */
public final class Degrade {

    private Degrade() {}

    /** Mean over the {@code (2r+1)^2} neighbourhood (edge pixels repeated), {@code r = 0} returns a copy. */
    public static INDArray blur(INDArray x, int r) {
        if (r == 0) return x.dup();
        long h = x.size(2), w = x.size(3);
        INDArray p = Nd4j.pad(x, new int[][]{{0, 0}, {0, 0}, {r, r}, {r, r}}, org.nd4j.linalg.api.ops.impl.transforms.Pad.Mode.SYMMETRIC, 0);
        INDArray sum = Nd4j.zeros(x.dataType(), x.shape());
        for (int dy = 0; dy <= 2 * r; dy++)
            for (int dx = 0; dx <= 2 * r; dx++)   // (2r+1)^2 whole-array adds, no per-pixel loop
                sum.addi(p.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(dy, dy + h), NDArrayIndex.interval(dx, dx + w)));
        return sum.divi((2 * r + 1) * (2 * r + 1));
    }

    /** {@code clip(x + sigma N(0, 1), -1, 1)} with a seeded generator. */
    public static INDArray noise(INDArray x, double sigma, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray y = x.add(Nd4j.randn(x.dataType(), x.shape()).muli(sigma));
        return org.nd4j.linalg.ops.transforms.Transforms.min(org.nd4j.linalg.ops.transforms.Transforms.max(y, -1.0, false), 1.0, false);
    }
}
