package org.slimlab.distill;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.nn.Param;
import org.slimlab.train.Evaluation;
import org.slimlab.train.Recalibration;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each subnet is evaluated with its own BN recalibration, and the model's statistics are left as they were. */
class SubnetEvaluationTest {

    @Test
    void everyPrefixIsRecalibratedAloneAndTheModelIsUnchanged() {
        ImageData data = FashionMnist.load().subset(128, 100);
        Model net = Models.resnetStages(new int[]{2, 2}, new int[]{4, 8}, 1, 28, 10, 4, "tiny");
        List<INDArray> before = net.parameters().stream().map(p -> p.value().dup()).toList();
        DepthSubnets space = DepthSubnets.of(net);
        List<SubnetEvaluation.Entry> all = SubnetEvaluation.of(net, data.train(), 128).prefixes(data.test(), "test");
        assertThat(all).hasSize(space.allPrefixDepths().size());
        List<Param> ps = net.parameters();
        for (int i = 0; i < ps.size(); i++) assertThat(ps.get(i).value().equals(before.get(i))).as(ps.get(i).name()).isTrue();
        SubnetEvaluation.Entry full = all.get(all.size() - 1);
        assertThat(full.name()).isEqualTo("2-2");
        assertThat(full.macs()).isEqualTo(net.macs());
        assertThat(all.get(0).macs()).isLessThan(full.macs());
        // the full network's entry is what recalibrating the model itself and evaluating it gives
        Model copy = net.copy();
        Recalibration.bn(copy, data.train(), 128);
        assertThat(full.accuracy()).isEqualTo(Evaluation.accuracy(copy, data.test()));
    }
}
