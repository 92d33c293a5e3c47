package org.slimlab.distill;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.nn.Residual;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Stochastic depth's linear survival rule, its sampling and the test-time branch scaling. */
class StochasticDepthTest {

    static final Model NET = Models.cifarResnet(20, new int[]{4, 8, 8}, 1, 12, 10, 1);

    @Test
    void survivalDecaysLinearlyOverAllBlocksAndSamplingFollowsIt() {
        StochasticDepth sd = StochasticDepth.on(NET).lastSurvival(0.8);
        double[] p = sd.survival();
        // 9 blocks; droppable are blocks 1-3, 5-6, 8-9 (4 and 7 downsample): p_l = 1 - l/9 * 0.2
        assertThat(p).hasSize(7);
        int[] l = {1, 2, 3, 5, 6, 8, 9};
        for (int i = 0; i < 7; i++) assertThat(p[i]).isCloseTo(1 - l[i] / 9.0 * 0.2, within(1e-12));
        List<Residual> droppable = DepthSubnets.of(NET).droppable();
        int[] kept = new int[7];
        Random rng = new Random(1);
        int n = 5000;
        for (int t = 0; t < n; t++) {
            Subnet s = sd.sample(rng);
            for (int i = 0; i < 7; i++) if (s.keep().test(droppable.get(i))) kept[i]++;
        }
        for (int i = 0; i < 7; i++) assertThat(kept[i] / (double) n).isCloseTo(p[i], within(0.02));
    }

    @Test
    void deployScalesEachDroppableBranchBySurvivalAndLeavesTheTrainedModelAlone() {
        Model net = Models.cifarResnet(20, new int[]{4, 8, 8}, 1, 12, 10, 2).cast(DataType.DOUBLE);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 1, 12, 12);
        INDArray before = Graphs.eval(net).logits(x).dup();
        Model same = StochasticDepth.on(net).lastSurvival(1).deploy(net);
        assertThat(Graphs.eval(same).logits(x).sub(before).amaxNumber().doubleValue()).isLessThan(1e-12);
        StochasticDepth sd = StochasticDepth.on(net).lastSurvival(0.5);
        Model deployed = sd.deploy(net);
        assertThat(Graphs.eval(net).logits(x).sub(before).amaxNumber().doubleValue()).isEqualTo(0.0);
        // the first droppable block's branch output is exactly p_1 times the trained one
        Residual trainedBlock = DepthSubnets.of(net).droppable().get(0), deployedBlock = DepthSubnets.of(deployed).droppable().get(0);
        var tb = (org.slimlab.nn.BatchNorm2d) trainedBlock.body().modules().filter(m -> m instanceof org.slimlab.nn.BatchNorm2d).reduce((a, b) -> b).orElseThrow();
        var db = (org.slimlab.nn.BatchNorm2d) deployedBlock.body().modules().filter(m -> m instanceof org.slimlab.nn.BatchNorm2d).reduce((a, b) -> b).orElseThrow();
        assertThat(db.gamma().value().sub(tb.gamma().value().mul(sd.survival()[0])).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(db.beta().value().sub(tb.beta().value().mul(sd.survival()[0])).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(Graphs.eval(deployed).logits(x).sub(before).amaxNumber().doubleValue()).isGreaterThan(1e-6);
    }
}
