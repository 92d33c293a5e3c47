package org.slimlab.mix;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slimlab.data.Batch;
import org.slimlab.data.ImageSet;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Mixup and CutMix: partner pairing, area-convention lambda, label smoothing, seeded draws. */
class MixTest {

    static Batch batch(int b, int classes) {
        INDArray x = Nd4j.arange(b * 2 * 8 * 8).castTo(DataType.FLOAT).reshape(b, 2, 8, 8);
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) labels[i] = i % classes;
        return new Batch(x, ImageSet.oneHot(labels, classes), labels);
    }

    @Test
    void labelSmoothingFollowsTimm() {
        INDArray y = Labels.smooth(new int[]{2, 0}, 4, 0.1);
        assertThat(y.getDouble(0, 2)).isCloseTo(0.925, within(1e-6));
        assertThat(y.getDouble(0, 0)).isCloseTo(0.025, within(1e-6));
        assertThat(y.sum(1).sub(1).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThatThrownBy(() -> Labels.smooth(new int[]{5}, 4, 0.1)).hasMessageContaining("out of range");
    }

    @Test
    void mixupMixesImageIWithImageBMinus1MinusI() {
        Batch b = batch(4, 3);
        Batch m = Mixup.mix(b, 0.7, 0.0);
        INDArray expect = b.x().get(NDArrayIndex.point(0)).mul(0.7).add(b.x().get(NDArrayIndex.point(3)).mul(0.3));
        assertThat(m.x().get(NDArrayIndex.point(0)).sub(expect).amaxNumber().doubleValue()).isLessThan(1e-3);
        assertThat(m.y().getDouble(0, 0)).isCloseTo(1.0, within(1e-6));   // images 0 and 3 both have label 0
        assertThat(m.y().sum(1).sub(1).amaxNumber().doubleValue()).isLessThan(1e-6);   // image 3 also has label 0
        assertThat(m.y().getDouble(1, 1)).isCloseTo(0.7, within(1e-6));
        assertThat(m.y().getDouble(1, 2)).isCloseTo(0.3, within(1e-6));   // partner of 1 is 2 (label 2)
        assertThat(m.labels()).containsExactly(b.labels());
    }

    @Test
    void cutmixPastesThePartnersBoxAndUsesTheAreaConvention() {
        Batch b = batch(4, 4);
        CutMix.Box box = new CutMix.Box(2, 6, 1, 4);   // 4 x 3 = 12 of 64 pixels
        Batch m = CutMix.mix(b, box, 0.1);
        var in = NDArrayIndex.interval(2, 6);
        var cols = NDArrayIndex.interval(1, 4);
        assertThat(m.x().get(NDArrayIndex.point(1), NDArrayIndex.all(), in, cols)
                .equals(b.x().get(NDArrayIndex.point(2), NDArrayIndex.all(), in, cols))).isTrue();
        INDArray outside = m.x().get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(0, 2), NDArrayIndex.all());
        assertThat(outside.equals(b.x().get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(0, 2), NDArrayIndex.all()))).isTrue();
        double lambda = 1 - 12 / 64.0, off = 0.1 / 4, on = 0.9 + off;
        assertThat(m.y().getDouble(1, 1)).isCloseTo(lambda * on + (1 - lambda) * off, within(1e-6));
        assertThat(m.y().getDouble(1, 2)).isCloseTo(lambda * off + (1 - lambda) * on, within(1e-6));
        // a drawn box: lambda is recomputed from the clipped area
        Random rng = new Random(3);
        for (int i = 0; i < 50; i++) {
            Mixing.Mixed mixed = CutMix.of(1.0).apply(b, rng);
            double ones = mixed.batch().x().sub(b.x()).neq(0).castTo(DataType.FLOAT).get(NDArrayIndex.point(0), NDArrayIndex.point(1)).sumNumber().doubleValue();
            assertThat(mixed.lambda()).isBetween(0.0, 1.0);
            assertThat(ones).isLessThanOrEqualTo((1 - mixed.lambda()) * 64 + 1e-9);   // pasted pixels all differ here
            assertThat(mixed.batch().y().sum(1).sub(1).amaxNumber().doubleValue()).isLessThan(1e-5);
        }
    }

    @Test
    void betaDrawsHaveTheRightMeanAndMixingIsSeeded() {
        Random rng = new Random(1);
        double s = 0;
        for (int i = 0; i < 4000; i++) s += Beta.sample(rng, 0.8, 0.8);
        assertThat(s / 4000).isCloseTo(0.5, within(0.02));
        double s2 = 0;
        for (int i = 0; i < 4000; i++) s2 += Beta.sample(rng, 2, 6);
        assertThat(s2 / 4000).isCloseTo(0.25, within(0.01));
        Batch b = batch(4, 3);
        Mixing m = Mixing.either(0.5, Mixup.of(0.8), CutMix.of(1.0));
        Mixing.Mixed a = m.apply(b, new Random(9)), c = m.apply(b, new Random(9));
        assertThat(a.kind()).isEqualTo(c.kind());
        assertThat(a.lambda()).isEqualTo(c.lambda());
        assertThat(a.batch().x().equals(c.batch().x())).isTrue();
    }
}
