package org.slimlab.gkt;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Group knowledge: K_0 = detached main logits, K_g = moving average of the level-g logits of one iteration. */
class GroupKnowledgeTest {

    @Test
    void levelsAreDetachedCopiesAveragedWithMomentum() {
        INDArray main = Nd4j.createFromArray(new double[][]{{1, 2}});
        GroupKnowledge k = new GroupKnowledge(0.75).start(main);
        main.addi(100);   // the graph's output buffer is reused or freed later: knowledge must not change
        assertThat(k.level(0).toDoubleMatrix()).isEqualTo(new double[][]{{1, 2}});
        INDArray z1 = Nd4j.createFromArray(new double[][]{{4, 8}});
        k.add(1, z1);
        z1.assign(0);
        assertThat(k.level(1).toDoubleMatrix()).isEqualTo(new double[][]{{4, 8}});   // the first sample initialises
        k.add(1, Nd4j.createFromArray(new double[][]{{8, 0}}));
        assertThat(k.level(1).toDoubleMatrix()).isEqualTo(new double[][]{{0.75 * 4 + 0.25 * 8, 0.75 * 8}});
        assertThat(k.size()).isEqualTo(2);
        assertThatThrownBy(() -> k.add(3, Nd4j.zeros(DataType.DOUBLE, 1, 2))).hasMessageContaining("no parent knowledge");
        k.start(Nd4j.zeros(DataType.DOUBLE, 1, 2));   // a new iteration forgets the old levels
        assertThat(k.size()).isEqualTo(1);
        assertThatThrownBy(() -> k.level(1)).hasMessageContaining("no knowledge at level 1");
        assertThatThrownBy(() -> new GroupKnowledge(1)).hasMessageContaining("momentum");
    }
}
