package org.slimlab.gan;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.nn.Sequential;
import org.slimlab.ui.Displayable;

import java.util.List;

/**
 * Fréchet distance between Gaussians fitted to a frozen network's penultimate features (Heusel et al. 2017):
 * {@code FID = ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2))}. The trace of the matrix square root comes from
 * ND4J's symmetric eigen-decomposition (LAPACK {@code syev}), in float64:
 * {@code Tr (S1 S2)^(1/2) = sum_i sqrt(lambda_i(S1^(1/2) S2 S1^(1/2)))}, with {@code S1^(1/2) = V diag(sqrt l) V^T}.
 * <pre>{@code
 * Fid fid = Fid.on(FeatureNets.fid(5000, 2).model());
 * var real = fid.stats(pairs.testImages());                // images in [-1, 1]
 * fid.distance(real, fid.stats(generated));                 // lower is better
 * }</pre>
 */
public final class Fid {

    /** Mean and covariance of a set of feature vectors (float64). */
    public record Stats(INDArray mean, INDArray cov, long count) {}

    /** One FID value with the feature count it was computed from. */
    public record Score(double fid, long n) implements Displayable {
        @Override public Object displayValue() { return toString(); }
        @Override public String toString() { return String.format("FID %.3f (%d images)", fid, n); }
    }

    private final Model features;

    private Fid(Model features) { this.features = features; }

    /**
     * FID on the penultimate activation of {@code classifier} (a trained model whose root is a Sequential ending in
     * its classifier layer): the features are the input of that last layer. The classifier is copied (frozen).
     */
    public static Fid on(Model classifier) {
        if (!(classifier.root() instanceof Sequential s) || s.children().size() < 2)
            throw new IllegalArgumentException("FID needs a classifier whose root is a Sequential ending in its classifier layer");
        List<Module> body = s.children().subList(0, s.children().size() - 1).stream().map(Module::copy).toList();
        return new Fid(new Model(classifier.name() + "-features", new Sequential(body), classifier.inputShape()));
    }

    /** Feature dimension. */
    public long dimension() { return features.trace().nodes().get(features.trace().nodes().size() - 1).out().numel(); }

    /** Feature statistics of images in [-1, 1] ({@code [N, 1, 28, 28]}). */
    public Stats stats(INDArray signedImages) {
        INDArray f = features(signedImages).castTo(DataType.DOUBLE);
        long n = f.size(0);
        if (n < 2) throw new IllegalArgumentException("FID needs at least 2 images, got " + n);
        INDArray mu = f.mean(0);
        INDArray c = f.subRowVector(mu);
        INDArray cov = c.transpose().mmul(c).divi(n - 1);
        return new Stats(mu, cov, n);
    }

    /** Penultimate features {@code [N, d]} in chunks of 250. */
    public INDArray features(INDArray signedImages) {
        Compiled g = Graphs.eval(features);
        INDArray x = EdgePairs.toClassifierInput(signedImages);
        long n = x.size(0);
        INDArray out = null;
        for (long i = 0; i < n; i += 250) {
            long e = Math.min(n, i + 250);
            INDArray part = g.logits(x.get(NDArrayIndex.interval(i, e)));
            part = part.reshape(part.size(0), part.length() / part.size(0));
            if (out == null) out = Nd4j.create(part.dataType(), n, part.size(1));
            out.get(NDArrayIndex.interval(i, e), NDArrayIndex.all()).assign(part);
        }
        return out;
    }

    /** FID between two sets of statistics. */
    public static double distance(Stats a, Stats b) {
        INDArray d = a.mean().sub(b.mean());
        double meanTerm = d.mul(d).sumNumber().doubleValue();
        double trace = trace(a.cov()) + trace(b.cov());
        return Math.max(0, meanTerm + trace - 2 * traceSqrtProduct(a.cov(), b.cov()));
    }

    /** FID between two image sets in [-1, 1]. */
    public Score score(INDArray imagesA, INDArray imagesB) {
        return new Score(distance(stats(imagesA), stats(imagesB)), Math.min(imagesA.size(0), imagesB.size(0)));
    }

    static double trace(INDArray m) { return m.mul(Nd4j.eye(m.size(0)).castTo(m.dataType())).sumNumber().doubleValue(); }

    /** {@code Tr (S1 S2)^(1/2)} for symmetric positive semi-definite S1, S2 (eigenvalues below 0 from round-off are clamped). */
    public static double traceSqrtProduct(INDArray s1, INDArray s2) {
        INDArray r = sqrtPsd(s1);
        INDArray m = r.mmul(s2).mmul(r);
        m = m.add(m.transpose()).divi(2);   // symmetric up to round-off
        INDArray ev = Eigen.symmetricGeneralizedEigenvalues(m.dup(), false);
        return org.nd4j.linalg.ops.transforms.Transforms.sqrt(org.nd4j.linalg.ops.transforms.Transforms.max(ev, 0.0), false)
                .sumNumber().doubleValue();
    }

    /** The symmetric square root {@code V diag(sqrt(max(l, 0))) V^T} of a symmetric PSD matrix. */
    public static INDArray sqrtPsd(INDArray s) {
        INDArray v = s.castTo(DataType.DOUBLE).dup();
        v = v.add(v.transpose()).divi(2);
        INDArray ev = Eigen.symmetricGeneralizedEigenvalues(v, true);   // v now holds the eigenvectors (columns)
        INDArray root = org.nd4j.linalg.ops.transforms.Transforms.sqrt(org.nd4j.linalg.ops.transforms.Transforms.max(ev, 0.0), false);
        return v.mulRowVector(root.reshape(1, root.length())).mmul(v.transpose());
    }

    public Model featureModel() { return features; }
}
