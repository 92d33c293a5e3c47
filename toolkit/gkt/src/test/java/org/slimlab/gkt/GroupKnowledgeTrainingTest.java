package org.slimlab.gkt;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import org.slimlab.data.ImageSet;
import org.slimlab.distill.SubnetKd;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Losses;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.nn.Param;
import org.slimlab.train.Trainer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** One GKT iteration equals the update composed by hand from METHODS.md §3's loss with detached targets. */
class GroupKnowledgeTrainingTest {

    @Test
    void oneIterationIsCrossEntropyPlusKlOfEachSubnetToTheDetachedKnowledgeOfTheLevelAbove() {
        ImageData data = FashionMnist.load().subset(32, 32);
        Model trained = Models.cifarResnet(20, new int[]{4, 8, 8}, 1, 28, 10, 3);
        Model manual = trained.copy();   // the same initial weights
        double lambda = 0.5, mu = 0.6, lr = 0.1;
        GroupKnowledgeTraining gkt = GroupKnowledgeTraining.on(trained).subnets(4).levels(2).dropProbability(0.4)
                .lambda(lambda).momentum(mu).seed(9);
        // one iteration: the batch is the whole (unaugmented) training set, plain SGD without momentum or decay
        Trainer.of(trained).on(data).epochs(1).batch(32).sgd(lr, 0, false, 0).seed(1).step(gkt, gkt.describe()).fit();

        INDArray x = data.train().images(), y = ImageSet.oneHot(data.train().labels(), 10);
        double right = maxDifference(trained, byHand(manual, x, y, lambda, mu, lr, false));
        // the same composition with every subnet distilled toward K_0 (ST's target) lands measurably elsewhere
        double wrong = maxDifference(trained, byHand(manual, x, y, lambda, mu, lr, true));
        assertThat(right).isLessThan(2e-4).isLessThan(wrong / 20);
        assertThat(gkt.meanSampledDepth()).isGreaterThan(2).isLessThanOrEqualTo(9);
    }

    /** The parameters after one SGD step on the loss composed by hand (float32, so sums differ in the last bits). */
    static List<INDArray> byHand(Model model, INDArray x, INDArray y, double lambda, double mu, double lr, boolean allToMain) {
        Model manual = model.copy();
        Compiled main = Graphs.train(manual, Losses.crossEntropy());
        var r = main.run(x, y, manual.trainableParameters(), List.of());
        Map<Param, INDArray> sum = new HashMap<>(r.grads());
        // the same draws on the copy: level 1, 2, then a new loop 1, 2
        SubnetInSubnetSampler sampler = SubnetInSubnetSampler.of(manual).levels(2).dropProbability(0.4);
        Random rng = new Random(9);
        List<INDArray> k = new ArrayList<>(List.of(r.logits().dup()));   // K_0 = sg[z_main]
        SubnetKd kd = SubnetKd.of(lambda);
        double klTotal = 0;
        for (int i = 0; i < 4; i++) {
            SubnetInSubnetSampler.Draw d = sampler.next(rng);
            assertThat(d.level()).isEqualTo(i % 2 + 1);
            INDArray target = k.get(allToMain ? 0 : d.level() - 1).dup();
            var rs = d.subnet().trainGraph(manual, kd.target(target)).run(x, y, manual.trainableParameters(), List.of());
            klTotal += rs.loss();
            rs.grads().forEach((p, g) -> sum.merge(p, g, INDArray::add));
            INDArray z = rs.logits().dup();
            if (d.level() == k.size()) k.add(z);
            else k.set(d.level(), k.get(d.level()).mul(mu).add(z.mul(1 - mu)));
        }
        assertThat(klTotal).isGreaterThan(1e-4);   // the subnets disagree with their targets: the terms are active
        return manual.trainableParameters().stream().map(p -> p.value().sub(sum.get(p).mul(lr))).toList();
    }

    static double maxDifference(Model trained, List<INDArray> expected) {
        double d = 0;
        List<Param> a = trained.trainableParameters();
        for (int i = 0; i < a.size(); i++) d = Math.max(d, a.get(i).value().sub(expected.get(i)).amaxNumber().doubleValue());
        return d;
    }
}
