package org.slimlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Copies of arrays restricted to chosen indices along one axis (the physical side of pruning). */
public final class Slicing {

    private Slicing() {}

    /** A contiguous copy of {@code a} keeping {@code keep} along {@code axis}; {@code keep == null} copies all. */
    public static INDArray take(INDArray a, int axis, int[] keep) {
        if (keep == null) return a.dup();
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        for (int i = 0; i < idx.length; i++) idx[i] = NDArrayIndex.all();
        long[] k = new long[keep.length];
        for (int i = 0; i < keep.length; i++) k[i] = keep[i];
        idx[axis] = NDArrayIndex.indices(k);
        return a.get(idx).dup();
    }

    /** The feature columns of a flattened [C*per] axis that belong to channels {@code keep}. */
    public static int[] expand(int[] keep, int per) {
        if (keep == null || per == 1) return keep;
        int[] cols = new int[keep.length * per];
        for (int i = 0; i < keep.length; i++)
            for (int j = 0; j < per; j++) cols[i * per + j] = keep[i] * per + j;
        return cols;
    }
}
