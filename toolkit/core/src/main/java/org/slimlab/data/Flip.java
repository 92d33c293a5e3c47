package org.slimlab.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An array reversed along one axis, as a copy made by ND4J's {@code gather} with the reversed index list.
 *
 * <p>Why not ND4J's own {@code reverse} op: in 1.0.0-M2.1 it leaks native memory on every call (its helper's
 * sub-array views are never freed, and each keeps the input's and the output's buffers alive). Measured on a
 * {@code [128, 1, 28, 28]} float batch: resident memory +712 MB per 500 calls, i.e. +1.4 MB per training step of any
 * reproduction that flips its images, until the process hits its memory cap. {@code gather} stays flat and gives
 * the same values bit for bit ({@code FlipTest}).
 */
public final class Flip {

    private Flip() {}

    /** {@code x} with the order of its entries along {@code axis} reversed (a new array; {@code x} is untouched). */
    public static INDArray along(INDArray x, int axis) {
        int rank = x.rank(), a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new IllegalArgumentException("axis " + axis + " out of range for an array of rank " + rank);
        int n = Math.toIntExact(x.size(a));
        int[] reversed = new int[n];
        for (int i = 0; i < n; i++) reversed[i] = n - 1 - i;
        return Nd4j.exec(new Gather(x, Nd4j.createFromArray(reversed), a))[0];
    }
}
