package org.slimlab.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import org.slimlab.data.ImageSet;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.nn.Param;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The trainer on a small Fashion-MNIST subset: learns, is deterministic, resumes exactly, stops on NaN. */
class TrainerTest {

    static final ImageData DATA = FashionMnist.load().subset(1024, 512);
    static final ImageData AUGMENTED = DATA.augment(org.slimlab.data.Augmentation.flipCrop(2));

    static Trainer trainer(Model m) {
        return Trainer.of(m).on(DATA).batch(64).sgd(0.05).cosine().seed(3);
    }

    @Test
    void learnsAndIsDeterministic() {
        Run a = trainer(Models.smallCnn(10, 1)).epochs(2).fit();
        Run b = trainer(Models.smallCnn(10, 1)).epochs(2).fit();
        assertThat(a.testAccuracy()).isGreaterThan(0.6);
        assertThat(a.history().doubleColumn("train_loss").asList()).isEqualTo(b.history().doubleColumn("train_loss").asList());
        assertThat(a.testAccuracy()).isEqualTo(b.testAccuracy());
        assertThat(a.configHash()).isEqualTo(b.configHash()).hasSize(12);
        assertSameWeights(a.model(), b.model());
    }

    @Test
    void interruptedThenResumedEndsWithTheSameWeights(@TempDir Path dir) {
        Run full = trainer(Models.smallCnn(10, 1)).on(AUGMENTED).epochs(3).fit();
        // "interrupted" after one epoch: a 3-epoch config stopped by an epoch hook, then resumed from its checkpoint
        Model m = Models.smallCnn(10, 1);
        Trainer t = trainer(m).on(AUGMENTED).epochs(3).checkpoints(dir);
        assertThatThrownBy(() -> t.onEpoch(e -> { if (e.epoch() == 1) Thread.currentThread().interrupt(); }).fit())
                .isInstanceOf(TrainingInterruptedException.class).hasMessageContaining("epoch-1.zip");
        Thread.interrupted();   // clear the flag
        Model fresh = Models.smallCnn(10, 99);   // different init: everything must come from the checkpoint
        Run resumed = trainer(fresh).on(AUGMENTED).epochs(3).checkpoints(dir).resume().fit();
        assertThat(resumed.history().rowCount()).isEqualTo(3);
        assertSameWeights(full.model(), resumed.model());
        assertThat(resumed.testAccuracy()).isEqualTo(full.testAccuracy());
    }

    @Test
    void withoutTestEvaluationTheTestSetIsNeverRead() {
        ImageSet head = DATA.test().head(2);
        ImageSet noTest = new ImageSet(head.images().dup().assign(Double.NaN), head.labels(), head.classes());   // read: accuracy 0
        Run r = trainer(Models.smallCnn(10, 1)).on(new ImageData("no test", DATA.train().head(128), noTest, null))
                .epochs(2).noTestEvaluation().fit();
        assertThat(r.testAccuracy()).isNaN();
        assertThat(r.history().doubleColumn("test_acc").countMissing()).isEqualTo(2);
    }

    @Test
    void nanLossStopsWithTheStep() {
        ImageSet head = DATA.train().head(128);
        ImageSet bad = new ImageSet(head.images().dup(), head.labels(), head.classes());   // a copy: DATA is shared by the tests
        bad.images().putScalar(new long[]{70, 0, 3, 3}, Double.NaN);
        ImageData poisoned = new ImageData("poisoned", bad, DATA.test(), null);
        assertThatThrownBy(() -> Trainer.of(Models.smallCnn(10, 1)).on(poisoned).batch(64).seed(1).fit())
                .isInstanceOf(TrainingException.class)
                .hasMessageContaining("loss became NaN").hasMessageContaining("epoch 1").hasMessageContaining("checkpoint");
    }

    static void assertSameWeights(Model a, Model b) {
        List<Param> pa = a.parameters(), pb = b.parameters();
        for (int i = 0; i < pa.size(); i++) {
            INDArray d = pa.get(i).value().sub(pb.get(i).value());
            assertThat(d.amaxNumber().doubleValue()).as(pa.get(i).name()).isEqualTo(0.0);
        }
    }
}
