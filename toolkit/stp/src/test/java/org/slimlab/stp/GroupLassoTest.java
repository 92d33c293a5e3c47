package org.slimlab.stp;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.GradientCheck;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Losses;
import org.slimlab.nn.BatchNorm2d;
import org.slimlab.nn.Conv2d;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.prune.ChannelGroup;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Arm C's group-lasso term: float64 gradient check, value against a hand computation, the dropped set. */
class GroupLassoTest {

    @Test
    void groupLassoGradientsMatchFiniteDifferencesInFloat64() {
        Model net = SupernetSpaceTest.tiny(7).cast(DataType.DOUBLE);
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 1, 8, 8), y = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        for (int i = 0; i < 4; i++) y.putScalar(i, i % 3, 1);
        GroupLasso lasso = GroupLasso.of(net, 0.3, 0.5);
        Compiled g = Graphs.train(net, lasso);
        // the penalised tensors of the stage-1 and stage-2 residual groups and one block's inner group (the check
        // is slow in float64: a few elements each)
        List<ChannelGroup> groups = org.slimlab.prune.ChannelGroups.of(net);
        List<org.slimlab.nn.Param> wrt = new java.util.ArrayList<>();
        for (ChannelGroup group : List.of(groups.get(0), groups.get(1), groups.get(3))) {
            wrt.add(((Conv2d) group.producers().get(group.producers().size() - 1)).weight());
            BatchNorm2d bn = (BatchNorm2d) group.norms().get(0);
            wrt.add(bn.gamma());
            wrt.add(bn.beta());
        }
        List<GradientCheck.Report> reports = GradientCheck.check(g, x, y, wrt, 4, 1e-6, 5);
        assertThat(reports).hasSize(9)
                .allSatisfy(r -> assertThat(r.maxRelError()).as(r.variable()).isLessThan(1e-5));
    }

    @Test
    void thePenaltyIsLambdaTimesTheL2NormsOfTheDroppedChannelGroups() {
        Model net = SupernetSpaceTest.tiny(8).cast(DataType.DOUBLE);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 1, 8, 8), y = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        y.putScalar(0, 0, 1);
        y.putScalar(1, 2, 1);
        double lambda = 0.7;
        GroupLasso lasso = GroupLasso.of(net, lambda, 0.5);
        double withPenalty = Graphs.train(net, lasso).run(x, y, List.of(), List.of()).loss();
        double ce = Graphs.train(net, Losses.crossEntropy()).run(x, y, List.of(), List.of()).loss();
        double expected = 0;
        for (ChannelGroup group : org.slimlab.prune.ChannelGroups.of(net)) {
            INDArray mask = lasso.maskOf(group);
            INDArray sq = Nd4j.zeros(DataType.DOUBLE, group.channels());
            for (Module p : group.producers()) {
                INDArray w = ((Conv2d) p).weight().value();
                sq.addi(w.mul(w).sum(0, 1, 2));
            }
            for (Module n : group.norms()) {
                BatchNorm2d bn = (BatchNorm2d) n;
                sq.addi(bn.gamma().value().mul(bn.gamma().value())).addi(bn.beta().value().mul(bn.beta().value()));
            }
            expected += org.nd4j.linalg.ops.transforms.Transforms.sqrt(sq.add(1e-12)).mul(mask).sumNumber().doubleValue();
            assertThat(mask.sumNumber().intValue()).isEqualTo(group.channels() - lasso.kept(group));
        }
        assertThat(withPenalty - ce).isCloseTo(lambda * expected, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(expected).isGreaterThan(0.1);
    }

    @Test
    void theDroppedChannelsAreTheL1SmallestAndFollowTheWeights() {
        Model net = SupernetSpaceTest.tiny(9);
        GroupLasso lasso = GroupLasso.of(net, 1, 0.5);
        ChannelGroup stem = org.slimlab.prune.ChannelGroups.of(net).get(0);
        Conv2d conv = (Conv2d) stem.producers().get(0);
        var all = org.nd4j.linalg.indexing.NDArrayIndex.all();
        for (int c = 0; c < 4; c++) conv.weight().value().get(all, all, all, org.nd4j.linalg.indexing.NDArrayIndex.point(c)).assign(c < 2 ? 1e-4 : 3.0);
        lasso.refresh();
        assertThat(lasso.maskOf(stem).toDoubleVector()).containsExactly(1, 1, 0, 0);
        assertThatThrownBy(() -> GroupLasso.of(net, -1, 0.5)).hasMessageContaining("lambda");
        assertThatThrownBy(() -> GroupLasso.of(net, 1, 0)).hasMessageContaining("keep fraction");
    }
}
