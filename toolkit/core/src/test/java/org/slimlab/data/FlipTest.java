package org.slimlab.data;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlipTest {

    @Test
    void matchesNd4jReverseBitForBitOnEveryAxis() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 2, 4, 5);
        INDArray before = x.dup();
        for (int axis = 0; axis < 4; axis++)
            assertThat(Flip.along(x, axis)).isEqualTo(Nd4j.exec(new Reverse(x, axis))[0]);
        assertThat(Flip.along(x, -1)).isEqualTo(Flip.along(x, 3));
        assertThat(Flip.along(Flip.along(x, 2), 2)).isEqualTo(x);
        assertThat(x).isEqualTo(before);
        INDArray d = Nd4j.createFromArray(new double[][]{{1, 2}, {3, 4}, {5, 6}});
        assertThat(Flip.along(d, 0)).isEqualTo(Nd4j.createFromArray(new double[][]{{5, 6}, {3, 4}, {1, 2}}));
    }

    @Test
    void anAxisOutsideTheArrayIsAClearError() {
        assertThatThrownBy(() -> Flip.along(Nd4j.zeros(2, 3), 2)).hasMessageContaining("axis 2 out of range for an array of rank 2");
    }

    /** ND4J M2.1's reverse op grows resident memory by ~1.4 MB per call on this batch (~700 MB per 500 calls). */
    @Test
    void flippingBatchesDoesNotGrowNativeMemory() throws InterruptedException {
        INDArray x = Nd4j.rand(DataType.FLOAT, 128, 1, 28, 28);
        for (int i = 0; i < 100; i++) Flip.along(x.dup(), 3);
        long before = settledResidentBytes();
        for (int i = 0; i < 500; i++) Flip.along(x.dup(), 3);
        long grownMB = (settledResidentBytes() - before) >> 20;
        assertThat(grownMB).as("resident memory growth over 500 flips, MB").isLessThan(200);
    }

    private static long settledResidentBytes() throws InterruptedException {
        for (int i = 0; i < 3; i++) { System.gc(); Thread.sleep(200); }
        return Pointer.physicalBytes();
    }
}
