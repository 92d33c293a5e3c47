package org.slimlab.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Images in memory, {@code [N, C, H, W]} float32 (already normalised), with integer labels. Immutable; subsets
 * and batches are cheap views or gathers.
 */
public final class ImageSet {

    private final INDArray images;
    private final int[] labels;
    private final int classes;

    public ImageSet(INDArray images, int[] labels, int classes) {
        if (images.rank() != 4) throw new IllegalArgumentException("images must be [N, C, H, W], got " + Arrays.toString(images.shape()));
        if (images.size(0) != labels.length)
            throw new IllegalArgumentException(images.size(0) + " images but " + labels.length + " labels");
        this.images = images;
        this.labels = labels;
        this.classes = classes;
    }

    public int size() { return labels.length; }

    public int classes() { return classes; }

    public INDArray images() { return images; }

    public int[] labels() { return labels.clone(); }

    /** {C, H, W}. */
    public long[] shape() { return new long[]{images.size(1), images.size(2), images.size(3)}; }

    /** A seeded random subset of {@code n} images (all if n >= size), stratification not attempted. */
    public ImageSet subset(int n, long seed) {
        if (n >= size()) return this;
        int[] idx = permutation(size(), seed);
        return select(Arrays.copyOf(idx, n));
    }

    /** The first {@code n} images. */
    public ImageSet head(int n) {
        if (n >= size()) return this;
        return new ImageSet(images.get(NDArrayIndex.interval(0, n)).dup(), Arrays.copyOf(labels, n), classes);
    }

    /** The images at the given indices, in that order. */
    public ImageSet select(int[] idx) {
        return new ImageSet(gather(idx), pick(labels, idx), classes);
    }

    /** One batch of the given indices (targets one-hot), unaugmented. */
    public Batch batch(int[] idx) {
        int[] l = pick(labels, idx);
        return new Batch(gather(idx), oneHot(l, classes), l);
    }

    /**
     * Mini-batches in a seeded random order (same seed, same order), each augmented with {@code augment} (may be
     * null) using a generator seeded from the same seed. The last partial batch is kept.
     */
    public Iterable<Batch> batches(int batchSize, long seed, Augmentation augment) {
        int[] order = permutation(size(), seed);
        Random rng = new Random(seed * 31 + 17);
        return () -> new Iterator<>() {
            int at = 0;
            public boolean hasNext() { return at < order.length; }
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int[] idx = Arrays.copyOfRange(order, at, Math.min(order.length, at + batchSize));
                at += idx.length;
                Batch b = batch(idx);
                return augment == null ? b : new Batch(augment.apply(b.x(), rng), b.y(), b.labels());
            }
        };
    }

    /** Mini-batches in order, for evaluation. */
    public Iterable<Batch> sequential(int batchSize) {
        return () -> new Iterator<>() {
            int at = 0;
            public boolean hasNext() { return at < size(); }
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int end = Math.min(size(), at + batchSize);
                int[] l = Arrays.copyOfRange(labels, at, end);
                Batch b = new Batch(images.get(NDArrayIndex.interval(at, end)), oneHot(l, classes), l);
                at = end;
                return b;
            }
        };
    }

    /** Number of batches of {@code batchSize} in one pass. */
    public int batchCount(int batchSize) { return (size() + batchSize - 1) / batchSize; }

    private INDArray gather(int[] idx) {
        long[] s = images.shape();
        INDArray flat = images.reshape(s[0], s[1] * s[2] * s[3]);
        return Nd4j.pullRows(flat, 1, idx).reshape(idx.length, s[1], s[2], s[3]);
    }

    static int[] pick(int[] a, int[] idx) {
        int[] r = new int[idx.length];
        for (int i = 0; i < idx.length; i++) r[i] = a[idx[i]];
        return r;
    }

    /** One-hot float32 targets. */
    public static INDArray oneHot(int[] labels, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, labels.length, classes);
        for (int i = 0; i < labels.length; i++) y.putScalar(i, labels[i], 1f);
        return y;
    }

    /** A seeded Fisher-Yates permutation of 0..n-1. */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
