package org.slimlab.gan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.distill.Dcd;
import org.slimlab.nn.GanModels;
import org.slimlab.nn.Model;
import org.slimlab.nn.Param;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The distillation loop: students own separate optimisers over their own parameters; DCD's teacher connectors stay frozen. */
class GanLoopTest {

    @Test
    void studentsTrainOnlyTheirOwnParametersAndTheTeacherConnectorsStayFrozen() {
        EdgePairs pairs = EdgePairs.fashionMnist(16, 16, EdgePairs.THRESHOLD);
        GanRun run = GanDistillation.on(pairs).teacherWidth(4).studentWidth(1).blocks(3).discriminatorWidth(4).epochs(1).batch(16)
                .students("l1", "dcd").fid(Fid.on(FeatureNets.fid(256, 1).model())).perceptual(FeatureNets.perceptual(256, 1).model()).seed(5).fit();
        Student dcd = run.students().get(1);
        Dcd loss = dcd.loss().dcd();
        assertThat(loss).isNotNull();
        List<Param> own = dcd.trainable();
        List<Param> teacherConnectors = loss.teacherConnectors().stream().flatMap(m -> m.trainableParameters().stream()).toList();
        assertThat(own).containsAll(loss.trainableParams()).doesNotContainAnyElementsOf(teacherConnectors)
                .doesNotContainAnyElementsOf(run.discriminator().trainableParameters())
                .doesNotContainAnyElementsOf(run.teacher().trainableParameters());
        assertThat(run.students().get(0).trainable()).doesNotContainAnyElementsOf(own);
        // the same seed rebuilds the initial connectors: the teacher's are unchanged after training, the student's moved
        Model t0 = GanModels.resnetGenerator(1, 1, 4, 3, 28, 501), s0 = GanModels.resnetGenerator(1, 1, 1, 3, 28, 503);
        Dcd initial = Dcd.of(GanModels.patchDiscriminator(2, 4, 28, 502), t0, s0, 504);
        for (int l = 0; l < loss.layers(); l++) {
            INDArray before = initial.teacherConnectors().get(l).trainableParameters().get(0).value();
            INDArray after = loss.teacherConnectors().get(l).trainableParameters().get(0).value();
            assertThat(after.equalsWithEps(before, 0)).as("teacher connector %d frozen", l).isTrue();
            INDArray sBefore = initial.studentConnectors().get(l).trainableParameters().get(0).value();
            INDArray sAfter = loss.studentConnectors().get(l).trainableParameters().get(0).value();
            assertThat(sAfter.equalsWithEps(sBefore, 1e-7)).as("student connector %d trained", l).isFalse();
        }
        assertThat(run.history().rowCount()).isEqualTo(3);   // 1 epoch x (teacher + 2 students)
    }

    @Test
    void aRunStoppedAfterAnEpochResumesFromItsCheckpointToTheNumbersOfAnUninterruptedRun(@TempDir Path dir) throws Exception {
        EdgePairs pairs = EdgePairs.fashionMnist(32, 16, EdgePairs.THRESHOLD);
        GanDistillation loop = GanDistillation.on(pairs).teacherWidth(4).studentWidth(1).blocks(3).discriminatorWidth(4).epochs(2)
                .batch(16).students("l1", "dcd", "crd").fid(Fid.on(FeatureNets.fid(256, 1).model()))
                .perceptual(FeatureNets.perceptual(256, 1).model()).seed(3);
        GanRun straight = loop.fit();

        Path ck = dir.resolve("ck");
        assertThatThrownBy(() -> loop.checkpoints(ck).onEpoch(e -> { if (e == 1) throw new IllegalStateException("stop"); }).fit())
                .hasMessage("stop");
        assertThat(ck.resolve("epoch-1.zip")).exists();
        GanRun resumed = loop.checkpoints(ck).fit();
        assertThat(resumed.fidPerEpoch()).isEqualTo(straight.fidPerEpoch());   // bit for bit, both epochs
        assertThat(resumed.history().doubleColumn("teacher_loss").asList()).isEqualTo(straight.history().doubleColumn("teacher_loss").asList());
        for (String arm : straight.generators().keySet())
            assertThat(resumed.generator(arm).parameters().get(0).value()).as(arm).isEqualTo(straight.generator(arm).parameters().get(0).value());
        assertThat(ck.resolve("epoch-2.zip")).exists();
        assertThat(ck.resolve("epoch-1.zip")).doesNotExist();                  // only the newest is kept

        // a checkpoint of another configuration is refused, not silently mixed in
        assertThatThrownBy(() -> loop.epochs(3).checkpoints(ck).fit()).hasMessageContaining("another configuration");
    }
}
