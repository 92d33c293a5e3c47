package org.slimlab.smmix;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * SMMix step 2 (Chen et al., "SMMix: Self-Motivated Image Mixing for Vision Transformers", ICCV 2023,
 * arXiv 2212.12977): from the last block's attention probabilities {@code [B, heads, 1+N, 1+N]} (CLS first), drop
 * the CLS row and column and average over heads and queries: one score per patch, how much attention it receives.
 */
public final class AttentionScores {

    private AttentionScores() {}

    /** {@code [B, N]} scores, patch {@code j} = mean over heads h and patch queries i of {@code attn[b, h, 1+i, 1+j]}. */
    public static INDArray patchScores(INDArray attention) {
        if (attention.rank() != 4 || attention.size(2) != attention.size(3) || attention.size(2) < 2)
            throw new IllegalArgumentException("expected attention [B, heads, 1+N, 1+N], got " + java.util.Arrays.toString(attention.shape()));
        long t = attention.size(2);
        INDArray patches = attention.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, t), NDArrayIndex.interval(1, t));
        return patches.mean(1, 2);
    }
}
