package org.slimlab.stp;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.distill.Subnet;
import org.slimlab.distill.SubnetKd;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.BatchNorm2d;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The width+depth supernet space: masked subnets equal their extracted networks, MACs, moves, mutants, caching. */
class SupernetSpaceTest {

    static Model tiny(long seed) {
        Model m = Models.resnetStages(new int[]{2, 2}, new int[]{4, 8}, 1, 8, 3, seed, "tiny");
        Nd4j.getRandom().setSeed(seed);
        for (BatchNorm2d bn : m.modules(BatchNorm2d.class)) {   // non-trivial statistics and affine parameters
            bn.runningMean().value().assign(Nd4j.randn(DataType.FLOAT, bn.channels()).muli(0.3));
            bn.runningVar().value().assign(Nd4j.rand(DataType.FLOAT, bn.channels()).addi(0.5));
            bn.gamma().value().assign(Nd4j.rand(DataType.FLOAT, bn.channels()).addi(0.5));
            bn.beta().value().assign(Nd4j.randn(DataType.FLOAT, bn.channels()).muli(0.2));
        }
        return m;
    }

    @Test
    void maskedWidthAndDepthSubnetsGiveTheSameLogitsAsTheirExtractedNetworks() {
        Model net = tiny(1);
        SupernetSpace space = SupernetSpace.of(net, 2);
        INDArray x = Nd4j.randn(DataType.FLOAT, 6, 1, 8, 8);
        Random rng = new Random(3);
        int narrowerAndShallower = 0;
        for (int i = 0; i < 8; i++) {
            Architecture a = i == 0 ? space.smallest() : space.random(rng);
            Model small = space.extract(a);
            assertThat(space.maxDifferenceToExtracted(a, x)).as(a.toString()).isLessThan(1e-5);
            assertThat(space.macs(a)).as("symbolic MACs of " + a).isEqualTo(small.macs());
            if (small.macs() < net.macs()) narrowerAndShallower++;
        }
        assertThat(narrowerAndShallower).isGreaterThan(4);
        Architecture smallest = space.smallest();
        Model s = space.extract(smallest);
        assertThat(s.params()).isLessThan(net.params());
        assertThat(s.modules(org.slimlab.nn.Residual.class)).hasSize(2);   // one block left per stage
        assertThat(space.macs(space.full())).isEqualTo(net.macs());
    }

    @Test
    void widthsLiveInTheMaskValuesSoSubnetsOfOneDepthShareAGraph() {
        Model net = tiny(2);
        SupernetSpace space = SupernetSpace.of(net, 2);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 1, 8, 8);
        Architecture wide = space.full().withDepth(0, 1), narrow = wide.withWidth(0, 2);
        Subnet a = space.subnet(wide);
        Compiled ga = a.evalGraph(net);
        INDArray la = ga.logits(x).dup();
        Subnet b = space.subnet(narrow);
        Compiled gb = b.evalGraph(net);
        assertThat(gb).isSameAs(ga);
        assertThat(gb.logits(x).sub(la).amaxNumber().doubleValue()).isGreaterThan(1e-4);
        assertThat(space.subnet(wide).evalGraph(net).logits(x).sub(la).amaxNumber().doubleValue()).isLessThan(1e-6);
        SubnetKd kd = SubnetKd.of(1);
        assertThat(space.subnet(narrow).trainGraph(net, kd)).isSameAs(space.subnet(wide).trainGraph(net, kd));
        assertThat(space.subnet(space.full()).evalGraph(net).logits(x).sub(Graphs.eval(net).logits(x)).amaxNumber().doubleValue()).isLessThan(1e-6);
    }

    @Test
    void aWidthAndDepthSubnetsKdGradientsMatchFiniteDifferencesInFloat64() {
        Model net = tiny(6).cast(DataType.DOUBLE);
        SupernetSpace space = SupernetSpace.of(net, 2);
        Nd4j.getRandom().setSeed(13);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 1, 8, 8), y = Nd4j.zeros(DataType.DOUBLE, 3, 3);
        Architecture a = space.full().withDepth(0, 1).withWidth(0, 2).withWidth(3, 4);
        SubnetKd kd = SubnetKd.of(0.8).target(Nd4j.randn(DataType.DOUBLE, 3, 3));
        Compiled g = space.subnet(a).trainGraph(net, kd);
        var groups = space.groups();
        List<org.slimlab.nn.Param> wrt = List.of(((org.slimlab.nn.Conv2d) groups.get(0).producers().get(0)).weight(),
                ((BatchNorm2d) groups.get(0).norms().get(0)).gamma(),
                ((org.slimlab.nn.Conv2d) groups.get(3).producers().get(0)).weight(),
                net.modules(org.slimlab.nn.Linear.class).get(0).weight());
        var reports = org.slimlab.graph.GradientCheck.check(g, x, y, wrt, 5, 1e-6, 2);
        assertThat(reports).hasSize(4).allSatisfy(r -> assertThat(r.maxRelError()).as(r.variable()).isLessThan(1e-5));
        // masked-out channels get no gradient from the subnet's KL: the stem's dropped filters stay untouched
        var r = g.run(x, y, wrt, List.of());
        int[] kept = space.plan(a).kept(groups.get(0).id());
        INDArray stemGrad = r.grads().get(wrt.get(0));
        for (int c = 0; c < 4; c++) {
            final int ch = c;
            boolean isKept = java.util.Arrays.stream(kept).anyMatch(k -> k == ch);
            double gnorm = stemGrad.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c)).norm2Number().doubleValue();
            if (isKept) assertThat(gnorm).as("kept channel " + c).isGreaterThan(0);
            else assertThat(gnorm).as("dropped channel " + c).isEqualTo(0);
        }
    }

    @Test
    void channelOrderFollowsTheCurrentFilterNorms() {
        Model net = tiny(3);
        SupernetSpace space = SupernetSpace.of(net, 2);
        var g0 = space.groups().get(0);
        Architecture half = space.full().withWidth(0, 2);
        org.slimlab.nn.Conv2d stem = (org.slimlab.nn.Conv2d) g0.producers().get(0);
        INDArray w = stem.weight().value();
        for (int c = 0; c < 4; c++) w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c)).assign(c == 1 || c == 3 ? 5.0 : 1e-3);
        assertThat(space.plan(half).kept(g0.id())).containsExactly(1, 3);
    }

    @Test
    void movesShrinkOneDimensionAndMutantsLieBetweenPrunedAndFull() {
        Model net = tiny(4);
        SupernetSpace space = SupernetSpace.of(net, 2);
        Architecture full = space.full();
        List<SupernetSpace.Move> moves = space.shrinkMoves(full);
        assertThat(moves).hasSize(space.groups().size() + space.stageCount());
        for (SupernetSpace.Move m : moves) assertThat(space.macs(m.result())).isLessThan(space.macs(full));
        assertThat(space.shrinkMoves(space.smallest())).isEmpty();
        Architecture pruned = space.smallest().withWidth(1, 4);
        Random rng = new Random(1);
        boolean sawSmaller = false, sawLarger = false;
        for (int i = 0; i < 50; i++) {
            Architecture m = space.mutant(pruned, rng);
            for (int g = 0; g < space.groups().size(); g++)
                assertThat(m.width(g)).isBetween(pruned.width(g), full.width(g));
            for (int s = 0; s < space.stageCount(); s++) assertThat(m.depth(s)).isBetween(pruned.depth(s), full.depth(s));
            sawSmaller |= m.width(0) == pruned.width(0);
            sawLarger |= m.width(0) == full.width(0);
        }
        assertThat(sawSmaller && sawLarger).isTrue();
        assertThat(space.mutant(full, rng)).isEqualTo(full);
    }

    @Test
    void aNetworkWithoutResidualStagesIsAWidthOnlySpace() {
        Model vgg = Models.vgg(new int[]{8, Models.POOL, 8}, 1, 8, 3, 1);
        SupernetSpace space = SupernetSpace.of(vgg, 4);
        assertThat(space.stageCount()).isZero();
        Architecture a = space.smallest();
        INDArray x = Nd4j.randn(DataType.FLOAT, 3, 1, 8, 8);
        assertThat(space.maxDifferenceToExtracted(a, x)).isLessThan(1e-5);
        assertThat(space.macs(a)).isEqualTo(space.extract(a).macs());
    }

    @Test
    void badInputsFailClearly() {
        Model net = tiny(5);
        SupernetSpace space = SupernetSpace.of(net, 2);
        assertThatThrownBy(() -> space.subnet(space.full().withWidth(0, 3))).hasMessageContaining("cannot have width 3");
        assertThatThrownBy(() -> space.macs(space.full().withDepth(1, 0))).hasMessageContaining("stage 1 depth");
        assertThatThrownBy(() -> space.subnet(new Architecture(new int[]{4}, new int[]{2, 2}))).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> SupernetSpace.of(net, 5)).hasMessageContaining("fewer channels");
    }
}
