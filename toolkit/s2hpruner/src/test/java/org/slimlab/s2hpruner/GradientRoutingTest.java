package org.slimlab.s2hpruner;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import org.slimlab.data.ImageSet;
import org.slimlab.distill.SubnetKd;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Objective;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.nn.Param;
import org.slimlab.train.Optimizers;
import org.slimlab.train.Schedule;
import org.slimlab.train.Trainer;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * METHODS.md §1's must-have test, numerically: one training step with only G_theta changes the weights theta and
 * leaves the mask logits u bit-for-bit unchanged, and moves theta by -lr times the finite-difference gradient of
 * G_theta (soft logits held constant); one step with only G_u changes u by -lr_u times the finite-difference
 * gradient of G_u (hard logits held constant) and leaves theta unchanged; the coupled ablation lets G_u change theta.
 */
class GradientRoutingTest {

    static final double LR = 0.5, LR_U = 0.5, EPS = 1e-6;

    record Snapshot(List<INDArray> theta, List<INDArray> u) {
        static Snapshot of(Model net, S2HMasks masks) {
            return new Snapshot(net.trainableParameters().stream().map(p -> p.value().dup()).toList(),
                    masks.logits().stream().map(p -> p.value().dup()).toList());
        }
    }

    static Model tiny() { return Models.vgg(new int[]{6, Models.POOL, 8}, 1, 28, 10, 5).cast(DataType.DOUBLE); }

    static ImageData data() { return FashionMnist.load().subset(24, 8).plain(); }

    /** One step of {@code terms} (one batch = the whole training set, plain SGD for both parameter sets). */
    static S2HMasks step(Model net, S2HStep.Terms terms, ImageData data) {
        S2HMasks masks = masksFor(net);
        S2HStep step = new S2HStep(masks, terms, 0.5, Optimizers.sgd(LR_U, 0, false, 0), Schedule.constant());
        Trainer.of(net).on(data).epochs(1).batch(data.train().size()).sgd(LR, 0, false, 0).seed(1).step(step, "routing").fit();
        return masks;
    }

    static S2HMasks masksFor(Model net) {
        S2HMasks masks = S2HMasks.of(net, 2, 1.0, 0.6);
        int i = 0;
        for (GroupMask m : masks.groups()) {   // the same spread logits for every copy
            double[] u = new double[m.chunks()];
            for (int k = 0; k < u.length; k++) u[k] = Math.sin(3.0 * k + i) * 0.8;
            m.logits().value().assign(org.nd4j.linalg.factory.Nd4j.createFromArray(u));
            i++;
        }
        masks.refresh();
        return masks;
    }

    static double maxChange(List<INDArray> before, List<Param> after) {
        double m = 0;
        for (int i = 0; i < before.size(); i++) m = Math.max(m, after.get(i).value().sub(before.get(i)).amaxNumber().doubleValue());
        return m;
    }

    @Test
    void gThetaChangesTheWeightsByItsGradientAndNeverTheMaskLogits() {
        ImageData data = data();
        Model net = tiny(), ref = net.copy();
        S2HMasks refMasks = masksFor(ref);
        Snapshot before = Snapshot.of(net, refMasks);
        S2HMasks masks = step(net, new S2HStep.Terms(0, 0, 1, 0, false), data);
        assertThat(maxChange(before.u(), masks.logits())).isEqualTo(0.0);
        assertThat(maxChange(before.theta(), net.trainableParameters())).isGreaterThan(1e-6);
        // finite differences of G_theta on the reference copy, the soft logits fixed at their value before the step
        INDArray x = data.train().images().castTo(DataType.DOUBLE), y = ImageSet.oneHot(data.train().labels(), 10).castTo(DataType.DOUBLE);
        INDArray s = softLogits(ref, refMasks, x, y);
        Compiled hard = Graphs.build(ref, Graph.Mode.TRAIN, SubnetKd.of(1).target(s), refMasks.hard(), "fd-hard", r -> true);
        assertUpdateIsMinusLrTimesNumericGradient(hard, x, y, ref.trainableParameters(), before.theta(), net.trainableParameters(), LR);
    }

    @Test
    void gUChangesTheMaskLogitsByItsGradientAndNeverTheWeights() {
        ImageData data = data();
        Model net = tiny(), ref = net.copy();
        S2HMasks refMasks = masksFor(ref);
        Snapshot before = Snapshot.of(net, refMasks);
        S2HMasks masks = step(net, new S2HStep.Terms(0, 0, 0, 1, false), data);
        assertThat(maxChange(before.theta(), net.trainableParameters())).isEqualTo(0.0);
        assertThat(maxChange(before.u(), masks.logits())).isGreaterThan(1e-6);
        INDArray x = data.train().images().castTo(DataType.DOUBLE), y = ImageSet.oneHot(data.train().labels(), 10).castTo(DataType.DOUBLE);
        INDArray h = Graphs.build(ref, Graph.Mode.TRAIN, SubnetKd.of(1).target(softLogits(ref, refMasks, x, y)), refMasks.hard(),
                "fd-hard", r -> true).outputs(x, y, Compiled.LOGITS).get(Compiled.LOGITS).dup();
        Compiled gu = Graphs.build(ref, Graph.Mode.TRAIN, new HardToSoftKd(1).target(h), refMasks.soft(), "fd-gu", r -> true);
        assertUpdateIsMinusLrTimesNumericGradient(gu, x, y, refMasks.logits(), before.u(), masks.logits(), LR_U);
    }

    @Test
    void theCoupledAblationLetsGuChangeTheWeights() {
        Model net = tiny();
        List<INDArray> before = net.trainableParameters().stream().map(p -> p.value().dup()).toList();
        step(net, new S2HStep.Terms(0, 0, 0, 1, true), data());
        assertThat(maxChange(before, net.trainableParameters())).isGreaterThan(1e-6);
    }

    @Test
    void theArmsSwitchTheTermsOfMethodsMd() {
        assertThat(S2HStep.Variant.DMP.terms(1, 10)).isEqualTo(new S2HStep.Terms(1, 10, 0, 0, false));
        assertThat(S2HStep.Variant.S2HPRUNER.terms(0.5, 10)).isEqualTo(new S2HStep.Terms(1, 10, 0.5, 0.5, false));
        assertThat(S2HStep.Variant.COUPLED_KD.terms(0.5, 10)).isEqualTo(new S2HStep.Terms(1, 10, 0.5, 0.5, true));
        assertThat(S2HStep.Variant.NO_GU.terms(0.5, 10)).isEqualTo(new S2HStep.Terms(1, 10, 0.5, 0, false));
    }

    private static INDArray softLogits(Model net, S2HMasks masks, INDArray x, INDArray y) {
        Objective none = (g, logits, labels) -> logits.sum();
        return Graphs.build(net, Graph.Mode.TRAIN, none, masks.soft(), "fd-soft", r -> true)
                .outputs(x, y, Compiled.LOGITS).get(Compiled.LOGITS).dup();
    }

    /** For every element of the given parameters: (after - before) = -lr * (L(p + eps) - L(p - eps)) / 2 eps. */
    private static void assertUpdateIsMinusLrTimesNumericGradient(Compiled g, INDArray x, INDArray y, List<Param> params,
                                                                  List<INDArray> before, List<Param> after, double lr) {
        var feed = g.feed(x, y);
        int checked = 0;
        double worst = 0;
        for (int i = 0; i < params.size(); i++) {
            INDArray v = params.get(i).value();
            INDArray delta = after.get(i).value().sub(before.get(i));
            for (long j = 0; j < v.length(); j += Math.max(1, v.length() / 4)) {
                double orig = v.getDouble(j);
                v.putScalar(j, orig + EPS);
                double plus = g.sd().output(feed, Compiled.LOSS).get(Compiled.LOSS).getDouble(0);
                v.putScalar(j, orig - EPS);
                double minus = g.sd().output(feed, Compiled.LOSS).get(Compiled.LOSS).getDouble(0);
                v.putScalar(j, orig);
                double expected = -lr * (plus - minus) / (2 * EPS), actual = delta.getDouble(j);
                worst = Math.max(worst, Math.abs(expected - actual) / Math.max(1e-6, Math.max(Math.abs(expected), Math.abs(actual))));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(5);
        assertThat(worst).as("worst relative difference between the update and -lr * numeric gradient").isLessThan(1e-4);
    }
}
