package org.slimlab.graph;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.nn.*;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Float64 central-difference checks of every layer and loss in core, in training mode (BN on batch statistics).
 * Each model is small but chains the layer under test with others, so input gradients are exercised too.
 */
class GradientChecksTest {

    static final double TOL = 1e-5;

    @BeforeAll
    static void quiet() { Nd4j.getRandom().setSeed(7); }

    static INDArray oneHot(int batch, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, classes);
        for (int i = 0; i < batch; i++) y.putScalar(i, (i * 7 + 3) % classes, 1.0);
        return y;
    }

    static void assertGradients(Model m, Objective obj, int batch) {
        Model d = m.cast(DataType.DOUBLE);
        Nd4j.getRandom().setSeed(3);
        long[] in = d.inputShape();
        long[] shape = new long[in.length + 1];
        shape[0] = batch;
        System.arraycopy(in, 0, shape, 1, in.length);
        INDArray x = Nd4j.randn(DataType.DOUBLE, shape);
        INDArray y = oneHot(batch, d.classes(), 5);
        Compiled g = Graphs.train(d, obj);
        List<GradientCheck.Report> r = GradientCheck.check(g, x, y, d.trainableParameters(), 12, 1e-6, 11);
        assertThat(r).isNotEmpty();
        for (GradientCheck.Report rep : r)
            assertThat(rep.maxRelError()).as("relative gradient error of %s", rep.variable()).isLessThan(TOL);
    }

    @Test
    void convBiasBatchNormReluMaxPoolFlattenLinear() {
        Init.seed(1);
        Model m = new Model("t", new Sequential(new Conv2d(2, 3, 3, 1, 1, true), new BatchNorm2d(3), new ReLU(),
                Pool2d.max(2, 2), new Flatten(), new Linear(3 * 3 * 3, 4)), 2, 6, 6);
        assertGradients(m, Losses.crossEntropy(), 4);
    }

    @Test
    void stridedPaddedConvAvgPoolGlobalPool() {
        Init.seed(2);
        Model m = new Model("t", new Sequential(new Conv2d(2, 4, 3, 2, 1, false), new BatchNorm2d(4), new ReLU(),
                Pool2d.avg(2, 2), new Conv2d(4, 3, 1, 1, 0, true), new GlobalAvgPool(), new Linear(3, 3)), 2, 8, 8);
        assertGradients(m, Losses.crossEntropy(), 3);
    }

    @Test
    void basicBlocksIdentityAndProjection() {
        Model m = Models.resnetStages(new int[]{1, 1}, new int[]{3, 4}, 1, 6, 3, 4, "tiny-resnet");
        assertGradients(m, Losses.crossEntropy(), 3);
    }

    @Test
    void bottleneckBlock() {
        Init.seed(5);
        Model m = new Model("t", new Sequential(new Conv2d(2, 8, 3, 1, 1, false), new Bottleneck(8, 2, 1),
                new Bottleneck(8, 3, 2), new GlobalAvgPool(), new Linear(12, 3)), 2, 6, 6);
        assertGradients(m, Losses.crossEntropy(), 3);
    }

    @Test
    void dropoutWithAFixedMask() {
        Init.seed(6);
        Model m = new Model("t", new Sequential(new Flatten(), new Linear(8, 6), new ReLU(), new Dropout(0.3),
                new Linear(6, 3)), 2, 2, 2);
        assertGradients(m, Losses.crossEntropy(), 5);
    }

    @Test
    void softLabelCrossEntropyAndDistillationLoss() {
        Init.seed(8);
        Model m = new Model("t", new Sequential(new Flatten(), new Linear(6, 4)), 1, 2, 3);
        // soft labels (label smoothing / mixing) through the same cross-entropy
        Objective soft = (g, logits, labels) -> Losses.crossEntropy(g.sd(), logits, labels.mul(0.9).add(0.1 / 4));
        assertGradients(m, soft, 4);
        // KD: KL to a teacher's logits fed as an extra input (finite differences cannot see a stop-gradient
        // on a target that depends on the same weights, so the target here is independent of them)
        INDArray teacherLogits = Nd4j.randn(DataType.DOUBLE, 4, 4);
        Objective kd = new Objective() {
            public SDVariable loss(Graph g, SDVariable logits, SDVariable labels) {
                SDVariable teacher = Losses.stopGradient(g.sd(), g.extraInput("teacher", 4));
                return Losses.klDivergence(g.sd(), teacher, logits, 4.0).add(Losses.crossEntropy(g.sd(), logits, labels));
            }
            public Map<String, INDArray> feed(INDArray x, INDArray labels) { return Map.of("teacher", teacherLogits); }
        };
        assertGradients(m, kd, 4);
    }

    @Test
    void stopGradientBlocksTheTarget() {
        SameDiff sd = SameDiff.create();
        SDVariable t = sd.var("t", Nd4j.rand(DataType.DOUBLE, 3, 4)), s = sd.var("s", Nd4j.rand(DataType.DOUBLE, 3, 4));
        SDVariable loss = Losses.klDivergence(sd, Losses.stopGradient(sd, t), s, 2.0).rename("loss");
        sd.setLossVariables("loss");
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "t", "s");
        assertThat(g.get("t").amaxNumber().doubleValue()).isEqualTo(0.0);
        assertThat(g.get("s").amaxNumber().doubleValue()).isGreaterThan(0.0);
    }

    /** The DL4J M2.1 bug that made us compose BN from primitives: the native op's gradient cannot be built. */
    @Test
    void nativeBatchNormHasNoGradientInM21() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, 2, 3, 2, 2));
        SDVariable mean = sd.var("m", Nd4j.zeros(DataType.DOUBLE, 3)), var = sd.var("v", Nd4j.ones(DataType.DOUBLE, 3));
        SDVariable gamma = sd.var("g", Nd4j.ones(DataType.DOUBLE, 3)), beta = sd.var("b", Nd4j.zeros(DataType.DOUBLE, 3));
        sd.nn().batchNorm(x, mean, var, gamma, beta, 1e-5, 1).sum().rename("loss");
        sd.setLossVariables("loss");
        assertThrows(RuntimeException.class, () -> sd.calculateGradients(Map.of(), "x", "g"));
    }
}
