package org.slimlab.gan;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** FID: the matrix square root, FID(real, real) ~ 0, and FID growing with blur and noise. */
class FidTest {

    @Test
    void symmetricSquareRootSquaresBackAndTheTraceTermIsExactForEqualCovariances() {
        Nd4j.getRandom().setSeed(3);
        INDArray a = Nd4j.randn(DataType.DOUBLE, 6, 6);
        INDArray s = a.mmul(a.transpose()).addi(Nd4j.eye(6).castTo(DataType.DOUBLE).muli(0.1));
        INDArray r = Fid.sqrtPsd(s);
        assertThat(r.mmul(r).sub(s).amaxNumber().doubleValue()).isLessThan(1e-9);
        assertThat(Fid.traceSqrtProduct(s, s)).isCloseTo(Fid.trace(s), offset(1e-8));
        // diagonal case by hand: Tr sqrt(diag(1,4) diag(9,16)) = 3 + 8
        INDArray d1 = Nd4j.diag(Nd4j.createFromArray(1.0, 4.0)), d2 = Nd4j.diag(Nd4j.createFromArray(9.0, 16.0));
        assertThat(Fid.traceSqrtProduct(d1, d2)).isCloseTo(11.0, offset(1e-9));
        // two 1-D Gaussians: (m1-m2)^2 + (s1 - s2)^2
        var g1 = new Fid.Stats(Nd4j.createFromArray(1.0), Nd4j.createFromArray(new double[][]{{4.0}}), 10);
        var g2 = new Fid.Stats(Nd4j.createFromArray(3.0), Nd4j.createFromArray(new double[][]{{9.0}}), 10);
        assertThat(Fid.distance(g1, g2)).isCloseTo(4.0 + 1.0, offset(1e-9));
    }

    @Test
    void fidOfRealImagesIsZeroAndGrowsWithBlurAndNoise() {
        Fid fid = Fid.on(FeatureNets.fid(256, 1).model());
        EdgePairs pairs = EdgePairs.fashionMnist(16, 96, EdgePairs.THRESHOLD);
        var t = GanReproduction.fidSanity(fid, pairs);
        var f = t.doubleColumn("fid").asList();
        assertThat(f.get(0)).isLessThan(1e-6);
        assertThat(f.get(1)).isGreaterThan(f.get(0));
        assertThat(f.get(2)).isGreaterThan(f.get(1));
        assertThat(f.get(3)).isGreaterThan(f.get(0));
        assertThat(f.get(4)).isGreaterThan(f.get(3));
        assertThat(fid.dimension()).isEqualTo(64);
    }

    @Test
    void edgeMapsAreBinaryAndFollowTheGarmentOutline() {
        INDArray square = Nd4j.zeros(DataType.FLOAT, 1, 1, 8, 8);
        square.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 6), org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 6)).assign(1);
        INDArray e = EdgePairs.edges(square, 0.8);
        assertThat(e.getDouble(0, 0, 4, 4)).isEqualTo(-1.0);   // flat inside
        assertThat(e.getDouble(0, 0, 0, 0)).isEqualTo(-1.0);   // flat outside
        assertThat(e.getDouble(0, 0, 2, 4)).isEqualTo(1.0);    // on the border
        assertThat(e.getDouble(0, 0, 1, 4)).isEqualTo(1.0);    // just outside the border
        assertThat(e.amaxNumber().doubleValue()).isEqualTo(1.0);
    }
}
