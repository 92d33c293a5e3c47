package org.slimlab.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.GradientCheck;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The GAN layers (ConvTranspose2d, InstanceNorm2d, ReflectionPad2d, LeakyReLU, Tanh, Upsample2d, Tap): float64
 * central-difference gradient checks of each in a chain, forward values against direct definitions, and the
 * MACs convention of transposed convolutions (output elements * C_in * k^2).
 */
class GanOpsTest {

    static final double TOL = 1e-5;

    static void assertGradients(Model m, Objective obj, int batch, INDArray labels) { assertGradients(m, obj, batch, labels, 12); }

    static void assertGradients(Model m, Objective obj, int batch, INDArray labels, int perVariable) {
        Model d = m.cast(DataType.DOUBLE);
        Nd4j.getRandom().setSeed(3);
        long[] in = d.inputShape();
        INDArray x = Nd4j.randn(DataType.DOUBLE, batch, in[0], in[1], in[2]);
        Compiled g = Graphs.train(d, obj);
        List<GradientCheck.Report> r = GradientCheck.check(g, x, labels.castTo(DataType.DOUBLE), d.trainableParameters(), perVariable, 1e-6, 11);
        assertThat(r).hasSize(d.trainableParameters().size());
        for (GradientCheck.Report rep : r)
            assertThat(rep.maxRelError()).as("relative gradient error of %s", rep.variable()).isLessThan(TOL);
    }

    static INDArray oneHot(int batch, int classes) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, classes);
        for (int i = 0; i < batch; i++) y.putScalar(i, (i * 7 + 3) % classes, 1.0);
        return y;
    }

    @Test
    void transposedConvInstanceNormLeakyReluTanhGradients() {
        Init.seed(1);
        Model m = new Model("t", new Sequential(new ConvTranspose2d(2, 3, 4, 2, 1, true), new InstanceNorm2d(3), new LeakyReLU(0.2),
                new ConvTranspose2d(3, 2, 3, 1, 0, false), new Tanh(), new Flatten(), new Linear(2 * 8 * 8, 4)), 2, 3, 3);
        assertGradients(m, Losses.crossEntropy(), 3, oneHot(3, 4));
    }

    @Test
    void reflectionPadUpsampleTapGradients() {
        Init.seed(2);
        Model m = new Model("t", new Sequential(new ReflectionPad2d(2), new Conv2d(2, 3, 3, 1, 0, true), new Upsample2d(2), new Tap(),
                new ReflectionPad2d(1), new Conv2d(3, 2, 3, 2, 0, true), new Flatten(), new Linear(2 * 6 * 6, 3)), 2, 4, 4);
        assertGradients(m, Losses.crossEntropy(), 3, oneHot(3, 3));
    }

    @Test
    void resnetGeneratorAndPatchDiscriminatorGradients() {
        Model g = GanModels.resnetGenerator(1, 1, 1, 1, 8, 1);
        Objective mse = (gr, out, labels) -> out.reshape(-1, 64).sub(labels).mul(out.reshape(-1, 64).sub(labels)).mean();
        Nd4j.getRandom().setSeed(4);
        // every op is checked on its own above; here 2 elements per tensor check how they are wired (keeps it fast)
        assertGradients(g, mse, 2, Nd4j.randn(DataType.DOUBLE, 2, 64), 2);
        Model d = GanModels.patchDiscriminator(2, 2, 8, 2);
        Objective mse4 = (gr, out, labels) -> out.reshape(-1, 4).sub(labels).mul(out.reshape(-1, 4).sub(labels)).mean();
        assertGradients(d, mse4, 2, Nd4j.randn(DataType.DOUBLE, 2, 4), 2);
    }

    /** PyTorch's definition: out[o, i*s - p + a, j*s - p + b] += x[c, i, j] * w[a, b, o, c]. */
    @Test
    void transposedConvMatchesTheScatterDefinition() {
        Init.seed(3);
        ConvTranspose2d ct = new ConvTranspose2d(2, 3, 4, 2, 1, true);
        Model m = new Model("ct", new Sequential(ct), 2, 3, 3).cast(DataType.DOUBLE);
        ConvTranspose2d c = m.modules(ConvTranspose2d.class).get(0);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 1, 2, 3, 3);
        INDArray y = Graphs.eval(m).logits(x);
        assertThat(y.shape()).containsExactly(1, 3, 6, 6);
        INDArray w = c.weight().value(), b = c.bias().value();
        double[][][] ref = new double[3][6][6];
        for (int o = 0; o < 3; o++) for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) ref[o][i][j] = b.getDouble(o);
        for (int ch = 0; ch < 2; ch++) for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++)
            for (int a = 0; a < 4; a++) for (int bb = 0; bb < 4; bb++) for (int o = 0; o < 3; o++) {
                int oi = i * 2 - 1 + a, oj = j * 2 - 1 + bb;
                if (oi < 0 || oj < 0 || oi >= 6 || oj >= 6) continue;
                ref[o][oi][oj] += x.getDouble(0, ch, i, j) * w.getDouble(a, bb, o, ch);
            }
        for (int o = 0; o < 3; o++) for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++)
            assertThat(y.getDouble(0, o, i, j)).as("y[%d,%d,%d]", o, i, j).isCloseTo(ref[o][i][j], org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void reflectionPadMatchesPyTorch() {
        Model m = new Model("pad", new Sequential(new ReflectionPad2d(1)), 1, 3, 3).cast(DataType.DOUBLE);
        INDArray x = Nd4j.createFromArray(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9}).reshape(1, 1, 3, 3);
        INDArray y = Graphs.eval(m).logits(x);
        // torch.nn.ReflectionPad2d(1)(torch.arange(1., 10.).view(1, 1, 3, 3))
        double[] expected = {5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5, 8, 7, 8, 9, 8, 5, 4, 5, 6, 5};
        assertThat(y.reshape(25).toDoubleVector()).containsExactly(expected);
        assertThrows(IllegalArgumentException.class, () -> new Model("bad", new Sequential(new ReflectionPad2d(3)), 1, 3, 3));
    }

    @Test
    void instanceNormNormalisesEachImageChannelAndUpsampleRepeats() {
        Model m = new Model("in", new Sequential(new InstanceNorm2d(2)), 2, 4, 4).cast(DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 4, 4).muli(5).addi(2);
        INDArray y = Graphs.eval(m).logits(x);
        assertThat(y.mean(2, 3).amaxNumber().doubleValue()).isLessThan(1e-9);
        assertThat(y.var(false, 2, 3).sub(1).amaxNumber().doubleValue()).isLessThan(1e-3);
        Model u = new Model("up", new Sequential(new Upsample2d(2)), 1, 2, 2).cast(DataType.DOUBLE);
        INDArray z = Graphs.eval(u).logits(Nd4j.createFromArray(new double[]{1, 2, 3, 4}).reshape(1, 1, 2, 2));
        assertThat(z.reshape(16).toDoubleVector()).containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
    }

    @Test
    void transposedConvMacsAreOutputElementsTimesInputChannelsTimesKernelArea() {
        Model m = new Model("ct", new Sequential(new ConvTranspose2d(4, 2, 4, 2, 1, true)), 4, 7, 7);
        assertThat(m.macs()).isEqualTo(14L * 14 * 2 * 4 * 16);
        assertThat(m.params()).isEqualTo(4L * 4 * 2 * 4 + 2);
        Model g = GanModels.resnetGenerator(1, 1, 32, 6, 28, 1), s = GanModels.resnetGenerator(1, 1, 8, 6, 28, 1);
        assertThat(g.modules(Tap.class)).hasSize(4);
        assertThat(s.macs() * 10).isLessThan(g.macs());
    }
}
