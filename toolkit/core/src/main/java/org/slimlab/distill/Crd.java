package org.slimlab.distill;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Losses;

/**
 * CRD, content relationship distillation for GAN compression ("Exploring Content Relationships for Distilling
 * Efficient GANs", arXiv 2212.11091). Teacher and student output images are sliced into rows (H items of C*W
 * values), columns (W items of C*H values) and non-overlapping {@code p x p} patches; on each slice set, relational
 * KD (Park et al. 2019): distance term {@code psi_D(i,j) = ||v_i - v_j|| / mu} (mu = mean non-zero pairwise distance
 * of that image, teacher and student separately) and angle term {@code psi_A(i,j,k) = cos} at vertex i between
 * {@code v_j - v_i} and {@code v_k - v_i}. {@code L = sum_sets w_set (SmoothL1(psi_D^S, psi_D^T) + 2 SmoothL1(psi_A^S, psi_A^T))},
 * the teacher side under stop-gradient. Relations are within each image, averaged over the batch.
 * <pre>{@code
 * Crd crd = Crd.of(7);                                        // rows, columns and 7x7 patches, weights 1
 * SDVariable l = crd.loss(sd, studentImage, teacherImage, 1, 28, 28);
 * }</pre>
 */
public final class Crd {

    /** Squared distances below this are clamped (the zero diagonal) before the square root. */
    public static final double EPS = 1e-12;

    private final int patch;
    private final double rowWeight, columnWeight, patchWeight, distanceWeight, angleWeight;

    private Crd(int patch, double rowWeight, double columnWeight, double patchWeight, double distanceWeight, double angleWeight) {
        if (patch < 1) throw new IllegalArgumentException("patch size must be >= 1, got " + patch);
        this.patch = patch;
        this.rowWeight = rowWeight;
        this.columnWeight = columnWeight;
        this.patchWeight = patchWeight;
        this.distanceWeight = distanceWeight;
        this.angleWeight = angleWeight;
    }

    /** Rows, columns and {@code patch x patch} patches, each weighted 1; distance weight 1, angle weight 2. */
    public static Crd of(int patch) { return new Crd(patch, 1, 1, 1, 1, 2); }

    /** The same with other weights per slice set (0 drops a set). */
    public Crd weights(double rows, double columns, double patches) {
        return new Crd(patch, rows, columns, patches, distanceWeight, angleWeight);
    }

    public int patch() { return patch; }

    /** The CRD loss between NCHW images {@code student} and {@code teacher} of shape {@code [B, c, h, w]}. */
    public SDVariable loss(SameDiff sd, SDVariable student, SDVariable teacher, long c, long h, long w) {
        if (h % patch != 0 || w % patch != 0)
            throw new IllegalArgumentException("image " + h + "x" + w + " is not divisible into " + patch + "x" + patch + " patches");
        SDVariable t = Losses.stopGradient(sd, teacher);
        SDVariable total = null;
        if (rowWeight != 0) total = add(total, relational(sd, rows(student, c, h, w), rows(t, c, h, w), h, c * w).mul(rowWeight));
        if (columnWeight != 0) total = add(total, relational(sd, columns(student, c, h, w), columns(t, c, h, w), w, c * h).mul(columnWeight));
        long n = (h / patch) * (w / patch);
        if (patchWeight != 0)
            total = add(total, relational(sd, patches(student, c, h, w, patch), patches(t, c, h, w, patch), n, c * patch * patch).mul(patchWeight));
        if (total == null) throw new IllegalStateException("every slice set has weight 0");
        return total;
    }

    private static SDVariable add(SDVariable a, SDVariable b) { return a == null ? b : a.add(b); }

    /** {@code distanceWeight SmoothL1(psi_D^S, psi_D^T) + angleWeight SmoothL1(psi_A^S, psi_A^T)} for item sets {@code [B, n, d]}. */
    public SDVariable relational(SameDiff sd, SDVariable student, SDVariable teacher, long n, long d) {
        SDVariable dist = smoothL1(distances(sd, student, n, d), distances(sd, teacher, n, d)).mul(distanceWeight);
        return dist.add(smoothL1(angles(sd, student, n, d), angles(sd, teacher, n, d)).mul(angleWeight));
    }

    /** Rows: {@code [B, h, c*w]}. */
    public static SDVariable rows(SDVariable x, long c, long h, long w) { return x.permute(0, 2, 1, 3).reshape(-1, h, c * w); }

    /** Columns: {@code [B, w, c*h]}. */
    public static SDVariable columns(SDVariable x, long c, long h, long w) { return x.permute(0, 3, 1, 2).reshape(-1, w, c * h); }

    /** Non-overlapping {@code p x p} patches in row-major order: {@code [B, (h/p)(w/p), c*p*p]}. */
    public static SDVariable patches(SDVariable x, long c, long h, long w, long p) {
        return x.reshape(-1, c, h / p, p, w / p, p).permute(0, 2, 4, 1, 3, 5).reshape(-1, (h / p) * (w / p), c * p * p);
    }

    /** {@code diff[b, i, j] = v[b, j] - v[b, i]}: {@code [B, n, n, d]}. */
    static SDVariable differences(SDVariable v, long n, long d) {
        return v.reshape(-1, 1, n, d).sub(v.reshape(-1, n, 1, d));
    }

    /** psi_D: pairwise distances divided by the image's mean off-diagonal distance, {@code [B, n, n]} (diagonal 0). */
    public static SDVariable distances(SameDiff sd, SDVariable v, long n, long d) {
        SDVariable diff = differences(v, n, d);
        SDVariable d2 = diff.mul(diff).sum(3);
        SDVariable offDiagonal = sd.constant(offDiagonal(v.dataType(), n));
        SDVariable dist = sd.math().sqrt(sd.math().max(d2, sd.constant(Nd4j.scalar(v.dataType(), EPS)))).mul(offDiagonal);
        SDVariable mu = dist.sum(true, 1, 2).div(n * (n - 1.0));
        return dist.div(mu);
    }

    /**
     * psi_A: {@code [B, n, n, n]}, entry {@code (i, j, k)} the cosine at vertex i between {@code v_j - v_i} and
     * {@code v_k - v_i}; entries with {@code j == i} or {@code k == i} are 0 (masked, so no gradient flows through
     * the zero-length differences).
     */
    public static SDVariable angles(SameDiff sd, SDVariable v, long n, long d) {
        SDVariable diff = differences(v, n, d);
        SDVariable norm = sd.math().sqrt(diff.mul(diff).sum(true, 3).add(EPS));
        SDVariable e = diff.div(norm);
        SDVariable cos = sd.mmul(e, e, false, true, false);
        return cos.mul(sd.constant(angleMask(v.dataType(), n)));
    }

    /** SmoothL1 (Huber, beta 1), mean over all elements: {@code |x| < 1 ? 0.5 x^2 : |x| - 0.5}. */
    public static SDVariable smoothL1(SDVariable a, SDVariable b) {
        SameDiff sd = a.getSameDiff();
        SDVariable ad = sd.math().abs(a.sub(b));
        SDVariable q = sd.math().min(ad, sd.constant(Nd4j.scalar(a.dataType(), 1.0)));
        return q.mul(q).mul(0.5).add(ad.sub(q)).mean();
    }

    static INDArray offDiagonal(DataType type, long n) {
        return Nd4j.ones(type, n, n).subi(Nd4j.eye(n).castTo(type)).reshape(1, n, n);
    }

    static INDArray angleMask(DataType type, long n) {
        INDArray m = Nd4j.ones(type, n, n, n);
        for (long i = 0; i < n; i++) {   // n^2 entries once per graph build (not per step)
            m.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(0);
            m.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(0);
        }
        return m.reshape(1, n, n, n);
    }

    @Override
    public String toString() {
        return String.format("CRD(rows %s, columns %s, %dx%d patches %s; distance %s, angle %s)", rowWeight, columnWeight, patch, patch,
                patchWeight, distanceWeight, angleWeight);
    }
}
