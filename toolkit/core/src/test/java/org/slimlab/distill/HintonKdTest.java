package org.slimlab.distill;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.GradientCheck;
import org.slimlab.nn.Flatten;
import org.slimlab.nn.Init;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Model;
import org.slimlab.nn.Sequential;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Hinton KD: the loss equals the formula computed by hand, and its gradient passes the float64 check. */
class HintonKdTest {

    static Model linear(long seed) {
        Init.seed(seed);
        return new Model("lin", new Sequential(new Flatten(), new Linear(6, 4)), 1, 2, 3).cast(DataType.DOUBLE);
    }

    @Test
    void lossMatchesTheFormulaAndGradientsCheck() {
        Model teacher = linear(1), student = linear(2);
        double t = 3, alpha = 0.7;
        HintonKd kd = HintonKd.of(teacher, t, alpha);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 1, 2, 3);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 5, 4);
        for (int i = 0; i < 5; i++) y.putScalar(i, i % 4, 1);
        Compiled g = Graphs.train(student, kd);
        double loss = g.run(x, y, student.trainableParameters(), List.of()).loss();

        INDArray zt = teacher.predict(x), zs = student.predict(x);
        INDArray pt = Transforms.softmax(zt.div(t)), lpt = Transforms.log(pt, true);
        INDArray lps = Transforms.log(Transforms.softmax(zs.div(t)), true);
        double kl = pt.mul(lpt.sub(lps)).sumNumber().doubleValue() / 5 * t * t;
        double ce = -y.mul(Transforms.log(Transforms.softmax(zs), true)).sumNumber().doubleValue() / 5;
        assertThat(loss).isCloseTo(alpha * kl + (1 - alpha) * ce, within(1e-9));

        for (GradientCheck.Report r : GradientCheck.check(g, x, y, student.trainableParameters(), 24, 1e-6, 3))
            assertThat(r.maxRelError()).as(r.variable()).isLessThan(1e-5);
    }
}
