package org.slimlab.smmix;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

/**
 * SMMix steps 3 and 4 (arXiv 2212.12977): the region side {@code k}, uniform in
 * {@code {floor(0.25 s) .. floor(0.75 s)}} for an {@code s x s} token grid (one per batch), and the max-min window
 * choice: the sum of patch scores over every {@code k x k} window (an integral image, all ND4J ops), the window of
 * minimum sum in each target image and of maximum sum in each image as a source.
 */
public final class Windows {

    /** The top-left token (row, column) of each image's chosen window, and its side. */
    public record Choice(int[] rows, int[] cols, int k) {}

    private Windows() {}

    /** The side of the square region: uniform in {@code [floor(lo s), floor(hi s)]}, at least 1. */
    public static int side(int s, double lo, double hi, Random rng) {
        int min = Math.max(1, (int) Math.floor(lo * s)), max = Math.max(min, (int) Math.floor(hi * s));
        if (max >= s) throw new IllegalArgumentException("region side " + max + " would cover the whole " + s + "x" + s + " grid");
        return min + rng.nextInt(max - min + 1);
    }

    /** Window sums {@code [B, gh-k+1, gw-k+1]} of scores {@code [B, gh, gw]}: entry (r, c) sums rows r..r+k-1, cols c..c+k-1. */
    public static INDArray sums(INDArray scores, int k) {
        long gh = scores.size(1), gw = scores.size(2);
        if (k < 1 || k > gh || k > gw) throw new IllegalArgumentException("window " + k + " does not fit a " + gh + "x" + gw + " grid");
        INDArray p = Nd4j.pad(scores.cumsum(1).cumsum(2), new int[][]{{0, 0}, {1, 0}, {1, 0}});   // p[r, c] = sum of [0,r) x [0,c)
        var hi = NDArrayIndex.interval(k, gh + 1);
        var lo = NDArrayIndex.interval(0, gh + 1 - k);
        var hiC = NDArrayIndex.interval(k, gw + 1);
        var loC = NDArrayIndex.interval(0, gw + 1 - k);
        var all = NDArrayIndex.all();
        return p.get(all, hi, hiC).sub(p.get(all, lo, hiC)).subi(p.get(all, hi, loC)).addi(p.get(all, lo, loC));
    }

    /** Per image, the window with the minimum ({@code max == false}) or maximum score sum. */
    public static Choice choose(INDArray scores, int k, boolean max) {
        INDArray s = sums(scores, k);
        long b = s.size(0), m = s.size(2);
        INDArray flat = s.reshape(b, s.size(1) * m);
        INDArray idx = max ? flat.argMax(1) : Nd4j.argMin(flat, 1);
        int[] at = idx.toIntVector(), rows = new int[(int) b], cols = new int[(int) b];
        for (int i = 0; i < b; i++) {
            rows[i] = (int) (at[i] / m);
            cols[i] = (int) (at[i] % m);
        }
        return new Choice(rows, cols, k);
    }
}
