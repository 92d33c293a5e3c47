package org.slimlab.mix;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slimlab.data.Batch;

import java.util.Random;

/**
 * CutMix (Yun et al. 2019, "CutMix: Regularization Strategy to Train Strong Classifiers with Localizable Features",
 * arXiv 1905.04899), as timm applies it: {@code lambda ~ Beta(alpha, alpha)}, one box per batch of side ratio
 * {@code sqrt(1 - lambda)} centred uniformly and clipped to the image; the partner's pixels (image {@code B-1-i}) are
 * pasted into the box and lambda is corrected to the area convention {@code 1 - box area / image area}; targets are
 * the lambda-mix of the smoothed one-hot labels.
 * <pre>{@code
 * Mixing c = CutMix.of(1.0);                   // DeiT: alpha 1.0, label smoothing 0.1
 * }</pre>
 */
public final class CutMix implements Mixing {

    /** A pixel box: rows {@code [y0, y1)}, columns {@code [x0, x1)}. */
    public record Box(int y0, int y1, int x0, int x1) {
        public int area() { return (y1 - y0) * (x1 - x0); }
    }

    private final double alpha, smoothing;

    private CutMix(double alpha, double smoothing) {
        if (alpha <= 0) throw new IllegalArgumentException("cutmix alpha must be > 0, got " + alpha);
        this.alpha = alpha;
        this.smoothing = smoothing;
    }

    /** CutMix with {@code alpha} and label smoothing 0.1. */
    public static CutMix of(double alpha) { return new CutMix(alpha, 0.1); }

    public static CutMix of(double alpha, double smoothing) { return new CutMix(alpha, smoothing); }

    @Override
    public Mixed apply(Batch b, Random rng) {
        int h = (int) b.x().size(2), w = (int) b.x().size(3);
        Box box = box(h, w, Beta.sample(rng, alpha, alpha), rng);
        double lambda = 1 - box.area() / (double) (h * w);
        return new Mixed(mix(b, box, smoothing), lambda, "cutmix");
    }

    /** timm's {@code rand_bbox}: side ratio {@code sqrt(1 - lambda)}, uniform centre, clipped. */
    public static Box box(int h, int w, double lambda, Random rng) {
        double ratio = Math.sqrt(1 - lambda);
        int ch = (int) (h * ratio), cw = (int) (w * ratio);
        int cy = rng.nextInt(h), cx = rng.nextInt(w);
        return new Box(clip(cy - ch / 2, h), clip(cy + ch / 2, h), clip(cx - cw / 2, w), clip(cx + cw / 2, w));
    }

    private static int clip(int v, int max) { return Math.max(0, Math.min(max, v)); }

    /** Pastes the partner's {@code box} into every image; lambda = 1 - box area / image area (area convention). */
    public static Batch mix(Batch b, Box box, double smoothing) {
        long h = b.x().size(2), w = b.x().size(3);
        double lambda = 1 - box.area() / (double) (h * w);
        INDArray x = b.x().dup();
        if (box.area() > 0) {
            INDArray partner = Labels.partner(b.x());
            var rows = NDArrayIndex.interval(box.y0(), box.y1());
            var cols = NDArrayIndex.interval(box.x0(), box.x1());
            x.get(NDArrayIndex.all(), NDArrayIndex.all(), rows, cols)
                    .assign(partner.get(NDArrayIndex.all(), NDArrayIndex.all(), rows, cols));
        }
        INDArray y = Labels.smooth(b.labels(), (int) b.y().size(1), smoothing);
        return new Batch(x, Labels.mix(y, Labels.partner(y), lambda), b.labels());
    }
}
