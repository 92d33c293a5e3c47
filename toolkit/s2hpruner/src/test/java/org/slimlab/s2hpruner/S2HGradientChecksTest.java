package org.slimlab.s2hpruner;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.distill.SubnetKd;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.GradientCheck;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Objective;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.nn.Param;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Float64 central-difference checks of every new op and loss: the soft mask (softmax, cumulative sum through the
 * L1 order, broadcast on the channels), the differentiable MACs and the resource loss R, the hard-to-soft KD
 * G_u, and G_theta on the hard-masked network. Logits are spread so no mask is saturated.
 */
class S2HGradientChecksTest {

    static final double TOL = 1e-5;

    record Setup(Model net, S2HMasks masks, INDArray x, INDArray y) {
        List<Param> all() {
            List<Param> p = new ArrayList<>(net.trainableParameters());
            p.addAll(masks.logits());
            return p;
        }
    }

    static Setup setup(long seed) {
        Model net = Models.vgg(new int[]{6, Models.POOL, 4}, 1, 6, 3, seed).cast(DataType.DOUBLE);
        S2HMasks masks = S2HMasks.of(net, 2, 0.8, 0.6);   // K = 3 and 2: uneven chunks in the second group
        Nd4j.getRandom().setSeed(seed + 10);
        for (GroupMask m : masks.groups()) m.logits().value().assign(Nd4j.randn(DataType.DOUBLE, m.chunks()));
        masks.refresh();
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 1, 6, 6), y = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        for (int i = 0; i < 4; i++) y.putScalar(i, i % 3, 1.0);
        return new Setup(net, masks, x, y);
    }

    static void assertGradients(Setup s, Compiled g, List<Param> wrt) {
        List<GradientCheck.Report> reports = GradientCheck.check(g, s.x(), s.y(), wrt, 8, 1e-6, 3);
        assertThat(reports).isNotEmpty();
        for (GradientCheck.Report r : reports)
            assertThat(r.maxRelError()).as("relative gradient error of %s", r.variable()).isLessThan(TOL);
    }

    @Test
    void softNetworkCrossEntropyPlusResourceLoss() {
        Setup s = setup(1);
        Compiled g = Graphs.build(s.net(), Graph.Mode.TRAIN, new SoftObjective(s.masks(), 1, 3, 0.4), s.masks().soft(), "soft", r -> true);
        assertGradients(s, g, s.all());
    }

    @Test
    void differentiableMacsAndResourceLossAlone() {
        Setup s = setup(2);
        Objective macs = (g, logits, labels) -> s.masks().expectedMacsRatio(g).sum().mul(2.5);
        assertGradients(s, Graphs.build(s.net(), Graph.Mode.TRAIN, macs, s.masks().soft(), "macs", r -> true), s.masks().logits());
        SoftObjective r = new SoftObjective(s.masks(), 0, 7, 0.3);
        assertGradients(s, Graphs.build(s.net(), Graph.Mode.TRAIN, r, s.masks().soft(), "R", q -> true), s.masks().logits());
    }

    @Test
    void hardToSoftKdReachesWeightsAndLogitsOfTheSoftNetwork() {
        Setup s = setup(3);
        HardToSoftKd gu = new HardToSoftKd(0.7).target(Nd4j.randn(DataType.DOUBLE, 4, 3));
        Compiled g = Graphs.build(s.net(), Graph.Mode.TRAIN, gu, s.masks().soft(), "gu", r -> true);
        // the loss itself is differentiable in both; the training step is what keeps theta out (S2HStep)
        assertGradients(s, g, s.all());
        // the KL of a distribution to itself is zero
        gu.target(g.logits(s.x()).dup());
        assertThat(g.run(s.x(), s.y(), List.of(), List.of()).loss()).isLessThan(1e-12);
    }

    @Test
    void softToHardKdOnTheHardMaskedNetwork() {
        Setup s = setup(4);
        SubnetKd gTheta = SubnetKd.of(0.9).target(Nd4j.randn(DataType.DOUBLE, 4, 3));
        Compiled g = Graphs.build(s.net(), Graph.Mode.TRAIN, gTheta, s.masks().hard(), "hard", r -> true);
        assertGradients(s, g, s.net().trainableParameters());
        // the hard graph does not contain the mask logits at all: G_theta cannot reach u
        assertThat(s.masks().logits()).noneMatch(g::uses);
    }
}
