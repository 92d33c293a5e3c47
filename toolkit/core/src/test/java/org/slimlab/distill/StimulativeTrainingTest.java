package org.slimlab.distill;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.GradientCheck;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.nn.Residual;
import org.slimlab.train.Trainer;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Depth subnets, the subnet KD objective (gradient-checked) and the stimulative-training step. */
class StimulativeTrainingTest {

    static Model tinyResnet(long seed) {
        return Models.resnetStages(new int[]{2, 2}, new int[]{4, 8}, 1, 8, 3, seed, "tiny");
    }

    @Test
    void resnet20HasTwentySevenPrefixSubnetsAndTheFullOneCountsLikeTheModel() {
        Model net = Models.cifarResnet(20, new int[]{8, 16, 32}, 1, 28, 10, 1);
        DepthSubnets space = DepthSubnets.of(net);
        assertThat(space.stageCount()).isEqualTo(3);
        assertThat(space.droppable()).hasSize(7);   // stage 1: 3 blocks; stages 2, 3: the downsampling block stays
        assertThat(space.allPrefixDepths()).hasSize(27);
        assertThat(space.prefix(3, 3, 3).macs(net)).isEqualTo(net.macs());
        long smallest = space.prefix(1, 1, 1).macs(net);
        assertThat(smallest).isLessThan(net.macs()).isGreaterThan(net.macs() / 4);
        assertThatThrownBy(() -> space.prefix(0, 3, 3)).hasMessageContaining("stage 0 depth");
        assertThatThrownBy(() -> DepthSubnets.of(Models.smallCnn(10, 1))).hasMessageContaining("no residual stages");
    }

    @Test
    void equalSubnetsShareOneCompiledGraph() {
        Model net = tinyResnet(1);
        DepthSubnets space = DepthSubnets.of(net);
        SubnetKd kd = SubnetKd.of(1);
        Compiled a = space.prefix(1, 2).trainGraph(net, kd), b = space.prefix(1, 2).trainGraph(net, kd);
        assertThat(a).isSameAs(b);
        assertThat(space.prefix(2, 2).trainGraph(net, kd)).isNotSameAs(a);
    }

    @Test
    void droppedBlocksGetNoGradientAndTheSubnetMatchesTheSkippedForward() {
        Model net = tinyResnet(2);
        DepthSubnets space = DepthSubnets.of(net);
        Residual dropped = space.stage(0).get(1);
        Subnet s = space.prefix(1, 2);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 1, 8, 8);
        SubnetKd kd = SubnetKd.of(1).target(Nd4j.randn(DataType.FLOAT, 4, 3));
        Compiled g = s.trainGraph(net, kd);
        var r = g.run(x, Nd4j.zeros(DataType.FLOAT, 4, 3), net.trainableParameters(), List.of());
        assertThat(dropped.allParams()).allSatisfy(p -> assertThat(r.grads()).doesNotContainKey(p));
        assertThat(r.grads()).isNotEmpty();
        // a subnet with every block kept is the full network
        Subnet all = Subnet.depth(Set.copyOf(space.droppable()));
        INDArray full = Graphs.eval(net).logits(x), viaSubnet = all.evalGraph(net).logits(x);
        assertThat(viaSubnet.sub(full).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThat(s.evalGraph(net).logits(x).sub(full).amaxNumber().doubleValue()).isGreaterThan(1e-4);
    }

    @Test
    void subnetKdGradientsMatchFiniteDifferencesAndItsTargetIsConstant() {
        Model net = tinyResnet(3).cast(DataType.DOUBLE);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 1, 8, 8), y = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        SubnetKd kd = SubnetKd.of(0.7, 2).target(Nd4j.randn(DataType.DOUBLE, 4, 3));
        Compiled g = DepthSubnets.of(net).prefix(1, 1).trainGraph(net, kd);
        List<GradientCheck.Report> reports = GradientCheck.check(g, x, y, net.trainableParameters(), 10, 1e-6, 3);
        assertThat(reports).isNotEmpty().allSatisfy(r -> assertThat(r.maxRelError()).as(r.variable()).isLessThan(1e-5));
        // the KL to itself is zero: feeding the subnet's own logits as target gives loss 0
        INDArray own = g.logits(x);
        assertThat(g.run(x, y, List.of(), List.of()).loss()).isGreaterThan(1e-3);
        kd.target(own);
        assertThat(g.run(x, y, List.of(), List.of()).loss()).isLessThan(1e-12);
        assertThatThrownBy(() -> kd.target(Nd4j.zeros(DataType.DOUBLE, 2, 3)).feed(x, y)).hasMessageContaining("rows for a batch");
    }

    @Test
    void oneStepAppliesTheMainCrossEntropyPlusTheSubnetKlToTheDetachedMainLogits() {
        ImageData data = FashionMnist.load().subset(32, 32);
        Model trained = Models.resnetStages(new int[]{2, 2}, new int[]{4, 8}, 1, 28, 10, 4, "tiny");
        Model manual = trained.copy();
        DepthSubnets space = DepthSubnets.of(trained);
        StimulativeTraining st = StimulativeTraining.sampling(rng -> space.prefix(1, 1)).lambda(0.5);
        // one iteration: the batch is the whole (unaugmented) training set, plain SGD without momentum or decay
        Trainer.of(trained).on(data).epochs(1).batch(32).sgd(0.1, 0, false, 0).seed(1).step(st, "st").fit();

        INDArray x = data.train().images(), y = org.slimlab.data.ImageSet.oneHot(data.train().labels(), 10);
        Compiled main = Graphs.train(manual, org.slimlab.graph.Losses.crossEntropy());
        var r = main.run(x, y, manual.trainableParameters(), List.of());
        SubnetKd kd = SubnetKd.of(0.5).target(r.logits().dup());
        var rs = DepthSubnets.of(manual).prefix(1, 1).trainGraph(manual, kd).run(x, y, manual.trainableParameters(), List.of());
        assertThat(rs.loss()).isGreaterThan(1e-4);   // the subnet disagrees with the main net: the term is active
        double maxDiff = 0;
        List<org.slimlab.nn.Param> a = trained.trainableParameters(), b = manual.trainableParameters();
        for (int i = 0; i < a.size(); i++) {
            INDArray expected = b.get(i).value().dup();
            if (r.grads().containsKey(b.get(i))) expected.subi(r.grads().get(b.get(i)).mul(0.1));
            if (rs.grads().containsKey(b.get(i))) expected.subi(rs.grads().get(b.get(i)).mul(0.1));
            maxDiff = Math.max(maxDiff, a.get(i).value().sub(expected).amaxNumber().doubleValue());
        }
        assertThat(maxDiff).isLessThan(2e-5);
        assertThat(st.lastSampled()).hasSize(1);
    }
}
