package org.slimlab.gan;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageSet;
import org.slimlab.ui.Displayable;

/**
 * The paired edge-map -> garment task on Fashion-MNIST (METHODS.md section 6): the input is the thresholded Sobel
 * gradient magnitude of the garment, the target the garment itself, both {@code [N, 1, 28, 28]} in [-1, 1]
 * (edges are -1 or 1). Built with ND4J ops (no per-pixel loops).
 * <pre>{@code
 * var pairs = EdgePairs.fashionMnist(500, 200, 0.8);     // 500 train, 200 test pairs
 * pairs.trainEdges(); pairs.trainImages();
 * }</pre>
 */
public record EdgePairs(INDArray trainEdges, INDArray trainImages, INDArray testEdges, INDArray testImages, double threshold)
        implements Displayable {

    /** Default Sobel-magnitude threshold (pixels in [0, 1]; the Sobel magnitude of a unit step is 4). */
    public static final double THRESHOLD = 0.8;

    public EdgePairs {
        if (trainEdges.size(0) != trainImages.size(0) || testEdges.size(0) != testImages.size(0))
            throw new IllegalArgumentException("edges and images differ in count");
    }

    /** Seeded subsets of Fashion-MNIST's train and test splits (the same images for every arm and seed). */
    public static EdgePairs fashionMnist(int train, int test, double threshold) {
        var raw = FashionMnist.raw();
        ImageSet tr = raw.train().subset(train, 0), te = raw.test().subset(test, 1);
        return of(tr.images(), te.images(), threshold);
    }

    /** Pairs from images in [0, 1] ({@code [N, 1, H, W]}). */
    public static EdgePairs of(INDArray train01, INDArray test01, double threshold) {
        return new EdgePairs(edges(train01, threshold), train01.mul(2).subi(1), edges(test01, threshold), test01.mul(2).subi(1), threshold);
    }

    /** Thresholded Sobel magnitude of images in [0, 1] (zero padding), as -1 / +1. */
    public static INDArray edges(INDArray x01, double threshold) {
        if (x01.rank() != 4 || x01.size(1) != 1) throw new IllegalArgumentException("need [N, 1, H, W] images");
        long h = x01.size(2), w = x01.size(3);
        INDArray p = Nd4j.pad(x01, new int[][]{{0, 0}, {0, 0}, {1, 1}, {1, 1}});
        INDArray gx = shifted(p, 0, 2, h, w).add(shifted(p, 1, 2, h, w).mul(2)).addi(shifted(p, 2, 2, h, w))
                .subi(shifted(p, 0, 0, h, w)).subi(shifted(p, 1, 0, h, w).mul(2)).subi(shifted(p, 2, 0, h, w));
        INDArray gy = shifted(p, 2, 0, h, w).add(shifted(p, 2, 1, h, w).mul(2)).addi(shifted(p, 2, 2, h, w))
                .subi(shifted(p, 0, 0, h, w)).subi(shifted(p, 0, 1, h, w).mul(2)).subi(shifted(p, 0, 2, h, w));
        INDArray mag = org.nd4j.linalg.ops.transforms.Transforms.sqrt(gx.muli(gx).addi(gy.muli(gy)), false);
        return mag.gt(threshold).castTo(x01.dataType()).muli(2).subi(1);
    }

    private static INDArray shifted(INDArray p, long dy, long dx, long h, long w) {
        INDArrayIndex all = NDArrayIndex.all();
        return p.get(all, all, NDArrayIndex.interval(dy, dy + h), NDArrayIndex.interval(dx, dx + w));
    }

    public int trainSize() { return (int) trainEdges.size(0); }

    public int testSize() { return (int) testEdges.size(0); }

    /** Fraction of edge pixels in the training inputs. */
    public double edgeFraction() { return trainEdges.add(1).divi(2).meanNumber().doubleValue(); }

    /** Pixels in [-1, 1] to the normalised input of the Fashion-MNIST classifiers ((p - mean) / std, p in [0, 1]). */
    public static INDArray toClassifierInput(INDArray signed) {
        return signed.add(1).muli(0.5).subi(FashionMnist.MEAN).divi(FashionMnist.STD);
    }

    @Override
    public Object displayValue() { return toString(); }

    @Override
    public String toString() {
        return String.format("edge->garment pairs (Fashion-MNIST, Sobel > %.2f): %d train / %d test, 1x28x28, %.1f%% edge pixels",
                threshold, trainSize(), testSize(), 100 * edgeFraction());
    }
}
