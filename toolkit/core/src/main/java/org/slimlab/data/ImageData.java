package org.slimlab.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.ui.Displayable;

import java.util.Arrays;

/**
 * A data set as a notebook uses it: train and test images, the training augmentation, a name. Immutable and fluent:
 * <pre>{@code
 * var data = fashionMnist().subset(10_000).augment(flipCrop(2));
 * }</pre>
 */
public final class ImageData implements Displayable {

    private final String name;
    private final ImageSet train, test;
    private final Augmentation augmentation;

    public ImageData(String name, ImageSet train, ImageSet test, Augmentation augmentation) {
        if (!Arrays.equals(train.shape(), test.shape()))
            throw new IllegalArgumentException("train and test shapes differ");
        this.name = name;
        this.train = train;
        this.test = test;
        this.augmentation = augmentation;
    }

    public String name() { return name; }

    public ImageSet train() { return train; }

    public ImageSet test() { return test; }

    /** The training augmentation, or null. */
    public Augmentation augmentation() { return augmentation; }

    public int classes() { return train.classes(); }

    /** {C, H, W}. */
    public long[] shape() { return train.shape(); }

    /** A seeded random subset of {@code trainSize} training images (test set unchanged). */
    public ImageData subset(int trainSize) { return subset(trainSize, test.size()); }

    /** Seeded random subsets of both splits (seed 0, so every arm sees the same images). */
    public ImageData subset(int trainSize, int testSize) {
        return new ImageData(name, train.subset(trainSize, 0), test.subset(testSize, 1), augmentation);
    }

    /** The same data with {@code a} applied to training batches. */
    public ImageData augment(Augmentation a) { return new ImageData(name, train, test, a); }

    /** The same data without augmentation. */
    public ImageData plain() { return new ImageData(name, train, test, null); }

    /** Per-channel {@code (x - mean) / std} on both splits. */
    public ImageData normalize(double[] mean, double[] std) {
        return new ImageData(name, normalize(train, mean, std), normalize(test, mean, std), augmentation);
    }

    private static ImageSet normalize(ImageSet s, double[] mean, double[] std) {
        long c = s.shape()[0];
        if (mean.length != c || std.length != c) throw new IllegalArgumentException("need one mean and std per channel (" + c + ")");
        INDArray m = Nd4j.createFromArray(mean).castTo(s.images().dataType()).reshape(1, c, 1, 1);
        INDArray sd = Nd4j.createFromArray(std).castTo(s.images().dataType()).reshape(1, c, 1, 1);
        return new ImageSet(s.images().sub(m).divi(sd), s.labels(), s.classes());
    }

    @Override
    public Object displayValue() { return toString(); }

    @Override
    public String toString() {
        return String.format("%s: %d train / %d test images %s, %d classes%s", name, train.size(), test.size(),
                Arrays.toString(shape()), classes(), augmentation == null ? "" : ", augmented");
    }
}
