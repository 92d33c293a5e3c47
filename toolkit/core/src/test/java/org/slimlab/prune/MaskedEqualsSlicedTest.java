package org.slimlab.prune;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.nn.BatchNorm2d;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A masked network and its physically sliced copy compute the same function; groups are found automatically. */
class MaskedEqualsSlicedTest {

    /** Non-trivial BN statistics so eval-mode BN is not the identity. */
    static Model randomized(Model m) {
        Nd4j.getRandom().setSeed(42);
        for (BatchNorm2d bn : m.modules(BatchNorm2d.class)) {
            bn.runningMean().value().assign(Nd4j.randn(DataType.FLOAT, bn.channels()).muli(0.1));
            bn.runningVar().value().assign(Nd4j.rand(DataType.FLOAT, bn.channels()).addi(0.5));
            bn.beta().value().assign(Nd4j.randn(DataType.FLOAT, bn.channels()).muli(0.2));
        }
        return m;
    }

    static double maxDiff(Model m, PruningPlan plan, INDArray x) { return Slicer.maxDifferenceToMasked(m, plan, x); }

    @Test
    void resnetGroupsAreTiedByResidualAdds() {
        Model r20 = Models.cifarResnet(20, new int[]{16, 32, 64}, 1, 28, 10, 1);
        List<ChannelGroup> g = ChannelGroups.of(r20);
        // one tied group per stage (stem/shortcut/second convs) + one inner group per block (9)
        assertThat(g).hasSize(12);
        assertThat(g.get(0).producers()).hasSize(4);   // stem conv + the 3 blocks' second convs of stage 1
        assertThat(g.stream().filter(x -> x.producers().size() == 1)).hasSize(9);
    }

    @Test
    void maskedAndSlicedResnetAgree() {
        Model m = randomized(Models.cifarResnet(20, new int[]{16, 32, 64}, 1, 28, 10, 3));
        INDArray x = Nd4j.randn(DataType.FLOAT, 8, 1, 28, 28);
        StructuredPruner.Result r = StructuredPruner.l1(m, 0.4);
        assertThat(r.macsRatio()).isLessThanOrEqualTo(0.4);
        assertThat(r.pruned().macs()).isLessThan(m.macs());
        assertThat(maxDiff(m, r.plan(), x)).isLessThan(1e-5);
        StructuredPruner.Result rnd = StructuredPruner.random(m, 0.5, 7);
        assertThat(maxDiff(m, rnd.plan(), x)).isLessThan(1e-5);
    }

    @Test
    void maskedAndSlicedCnnWithFlattenAgree() {
        Model m = randomized(Models.smallCnn(10, 2));
        INDArray x = Nd4j.randn(DataType.FLOAT, 8, 1, 28, 28);
        StructuredPruner.Result r = StructuredPruner.l1(m, 0.5);
        assertThat(maxDiff(m, r.plan(), x)).isLessThan(1e-5);
        // the linear layer after the flatten lost whole channel blocks of 7x7 features
        assertThat(r.pruned().summary().longColumn("params").get(r.pruned().summary().rowCount() - 1)).isLessThan(m.params());
    }

    @Test
    void bottleneckResnetSlicesConsistently() {
        org.slimlab.nn.Init.seed(9);
        Model small = randomized(new Model("bottlenecks", new org.slimlab.nn.Sequential(
                new org.slimlab.nn.Conv2d(3, 16, 3, 1, 1, false), new BatchNorm2d(16), new org.slimlab.nn.ReLU(),
                new org.slimlab.nn.Bottleneck(16, 4, 1), new org.slimlab.nn.Bottleneck(16, 8, 2),
                new org.slimlab.nn.GlobalAvgPool(), new org.slimlab.nn.Linear(32, 10)), 3, 16, 16));
        StructuredPruner.Result r = StructuredPruner.l1(small, 0.5);
        assertThat(r.macsRatio()).isBetween(0.35, 0.5);
        assertThat(maxDiff(small, r.plan(), Nd4j.randn(DataType.FLOAT, 4, 3, 16, 16))).isLessThan(1e-5);
    }

    @Test
    void globalMagnitudeHitsTheMacsTarget() {
        Model m = Models.smallCnn(10, 4);
        MagnitudePruner.Result r = MagnitudePruner.toMacs(m, 0.25);
        r.apply();
        assertThat(r.macsRatio()).isLessThanOrEqualTo(0.25).isGreaterThan(0.2);
        assertThat(MagnitudePruner.nonZeroMacs(m) / (double) m.macs()).isCloseTo(r.macsRatio(), org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void gradualMagnitudePruningReachesTheFinalSparsity() {
        Model m = Models.smallCnn(10, 5);
        var data = org.slimlab.data.FashionMnist.load().subset(256, 64);
        org.slimlab.train.Trainer.of(m).on(data).batch(32).sgd(0.01).seed(1)
                .step(GradualMagnitudePruning.step(m, new GradualSchedule(0, 0.7, 0, 4), 2), "gradual").fit();
        long zeros = 0, total = 0;
        for (var n : m.trace().nodes()) {
            var w = MagnitudePruner.weight(n.module());
            if (w == null) continue;
            zeros += w.value().eq(0).castTo(DataType.LONG).sumNumber().longValue();
            total += w.value().length();
        }
        assertThat(zeros / (double) total).isCloseTo(0.7, org.assertj.core.api.Assertions.within(0.01));
    }

    @Test
    void gradualScheduleFollowsZhuGupta() {
        GradualSchedule s = new GradualSchedule(0, 0.8, 100, 1100);
        assertThat(s.sparsityAt(0)).isEqualTo(0);
        assertThat(s.sparsityAt(600)).isCloseTo(0.8 - 0.8 * 0.125, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(s.sparsityAt(5000)).isEqualTo(0.8);
    }
}
