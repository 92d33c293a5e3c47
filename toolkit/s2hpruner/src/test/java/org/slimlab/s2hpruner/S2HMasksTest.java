package org.slimlab.s2hpruner;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Objective;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.prune.Importance;
import org.slimlab.prune.Slicer;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Soft masks, expected and hard widths, the differentiable MACs and the hard network they describe. */
class S2HMasksTest {

    static Model tinyVgg(long seed) {
        return Models.vgg(new int[]{8, Models.POOL, 6}, 1, 8, 3, seed);
    }

    @Test
    void softMaskIsTheProbabilityThatTheWidthReachesEachChannelInL1Order() {
        Model net = tinyVgg(1).cast(DataType.DOUBLE);
        S2HMasks masks = S2HMasks.of(net, 2, 0.5, 0.7);   // group of 8 channels: K = 4 chunks of 2
        GroupMask m = masks.groups().get(0);
        assertThat(m.chunks()).isEqualTo(4);
        m.logits().value().assign(Nd4j.createFromArray(0.1, -0.3, 0.4, 0.2));
        masks.refresh();
        double[] p = m.probabilities().toDoubleVector();
        double[] expectedP = softmax(new double[]{0.2, -0.6, 0.8, 0.4});   // u / tau
        for (int k = 0; k < 4; k++) assertThat(p[k]).isCloseTo(expectedP[k], within(1e-12));
        assertThat(m.expectedWidth()).isCloseTo(2 * p[0] + 4 * p[1] + 6 * p[2] + 8 * p[3], within(1e-12));
        // the soft mask in the graph, mapped through the L1 order: rank r is in chunk r / 2, w_j = sum_{k >= j} p_k
        Compiled g = Graphs.build(net, Graph.Mode.EVAL, null, masks.soft(), "probe", r -> true);
        INDArray w = m.softMask(g.graph()).eval().reshape(8);
        int[] byL1 = Importance.order(Importance.l1(m.group()));
        for (int r = 0; r < 8; r++) {
            double tail = 0;
            for (int k = r / 2; k < 4; k++) tail += p[k];
            assertThat(w.getDouble(byL1[r])).as("rank %d", r).isCloseTo(tail, within(1e-12));
        }
        // hard width: d * ceil(E / d); the hard mask keeps the top-n by L1
        int n = (int) (2 * Math.ceil(m.expectedWidth() / 2));
        assertThat(m.hardWidth()).isEqualTo(n);
        int[] keep = Arrays.copyOf(byL1, n);
        Arrays.sort(keep);
        assertThat(m.hardKeep()).containsExactly(keep);
        assertThat(m.hardMaskValues().sumNumber().intValue()).isEqualTo(n);
        for (int c : keep) assertThat(m.hardMaskValues().getDouble(c)).isEqualTo(1.0);
    }

    @Test
    void initialisationPutsMostMassOnTheFullWidthAndChunksMayBeUneven() {
        Model net = tinyVgg(2);
        S2HMasks masks = S2HMasks.of(net, 4, 1.0, 0.9);   // 8 channels: chunks 4+4; 6 channels: 4+2
        assertThat(masks.groups()).hasSize(2);
        for (GroupMask m : masks.groups()) {
            assertThat(m.probabilities().getDouble(m.chunks() - 1)).isCloseTo(0.9, within(1e-6));
            assertThat(m.hardWidth()).isEqualTo(m.group().channels());
        }
        GroupMask six = masks.groups().get(1);
        assertThat(six.chunks()).isEqualTo(2);
        six.logits().value().assign(Nd4j.createFromArray(12f, -12f));   // all mass on width 4 (E - 4 ~ 1e-10)
        assertThat(six.hardWidth()).isEqualTo(4);
        six.logits().value().assign(Nd4j.createFromArray(5f, -5f));   // E = 4.0001: rounds up
        assertThat(six.hardWidth()).isEqualTo(6);   // min(C, d ceil(E/d)) caps at C
        assertThatThrownBy(() -> S2HMasks.of(net, 0, 1, 0.9)).hasMessageContaining("chunk size");
        assertThatThrownBy(() -> S2HMasks.of(net, 1, 1, 1.0)).hasMessageContaining("full-width probability");
        assertThatThrownBy(() -> new SoftObjective(masks, 1, 1, 0)).hasMessageContaining("target MACs ratio");
    }

    @Test
    void expectedMacsInTheGraphMatchTheFormulaAndTheHardRatioMatchesTheSlicedNetwork() {
        Model net = Models.vgg(new int[]{8, 8, Models.POOL, 12}, 1, 8, 3, 3).cast(DataType.DOUBLE);
        S2HMasks masks = S2HMasks.of(net, 1, 1.0, 0.6);
        Nd4j.getRandom().setSeed(4);
        for (GroupMask m : masks.groups()) m.logits().value().assign(Nd4j.randn(DataType.DOUBLE, m.chunks()).muli(2));
        masks.refresh();
        Objective probe = (g, logits, labels) -> masks.expectedMacsRatio(g).sum();
        Compiled g = Graphs.build(net, Graph.Mode.TRAIN, probe, masks.soft(), "probe", r -> true);
        double inGraph = g.outputs(Nd4j.zeros(DataType.DOUBLE, 1, 1, 8, 8), Nd4j.zeros(DataType.DOUBLE, 1, 3), Compiled.LOSS)
                .get(Compiled.LOSS).getDouble(0);
        // by hand: conv1 1->8 @8x8, conv2 8->8 @8x8, conv3 8->12 @4x4, linear 12->3; ratios E/C per group
        double[] r = masks.groups().stream().mapToDouble(m -> m.expectedWidth() / m.group().channels()).toArray();
        double m1 = 64 * 8 * 9, m2 = 64 * 64 * 9, m3 = 16 * 96 * 9, m4 = 36;
        double byHand = (m1 * r[0] + m2 * r[0] * r[1] + m3 * r[1] * r[2] + m4 * r[2]) / (m1 + m2 + m3 + m4);
        assertThat(net.macs()).isEqualTo((long) (m1 + m2 + m3 + m4));
        assertThat(inGraph).isCloseTo(byHand, within(1e-12));
        assertThat(masks.expectedMacsRatio()).isCloseTo(byHand, within(1e-12));
        // the hard network: counted on the slice, equal to the ratio the widths predict; masked == sliced
        Model hard = Slicer.slice(net, masks.plan());
        assertThat(hard.macs() / (double) net.macs()).isCloseTo(masks.hardMacsRatio(), within(1e-12));
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 1, 8, 8);
        assertThat(Slicer.maxDifferenceToMasked(net, masks.plan(), x)).isLessThan(1e-10);
        INDArray viaMasks = Graphs.build(net, Graph.Mode.EVAL, null, masks.hard(), "hard", q -> true).logits(x);
        assertThat(viaMasks.sub(hard.predict(x)).amaxNumber().doubleValue()).isLessThan(1e-10);
        // full width everywhere: F_soft = F_full
        for (GroupMask m : masks.groups()) { INDArray u = Nd4j.zeros(DataType.DOUBLE, m.chunks()); u.putScalar(m.chunks() - 1, 60); m.logits().value().assign(u); }
        assertThat(masks.expectedMacsRatio()).isCloseTo(1.0, within(1e-9));
        assertThat(masks.widths().rowCount()).isEqualTo(3);
    }

    @Test
    void residualGroupsShareOneMask() {
        Model net = Models.resnetStages(new int[]{2}, new int[]{4}, 1, 6, 3, 1, "tiny");
        S2HMasks masks = S2HMasks.of(net, 1, 1, 0.9);
        // stem + both blocks' outputs are tied by the residual adds: one group; each block's inner conv: one group each
        assertThat(masks.groups()).hasSize(3);
        assertThat(masks.groups().stream().mapToInt(m -> m.group().producers().size()).max().getAsInt()).isEqualTo(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 1, 6, 6);
        INDArray soft = Graphs.build(net, Graph.Mode.EVAL, null, masks.soft(), "soft", r -> true).logits(x);
        assertThat(soft.shape()).containsExactly(2, 3);
    }

    static double[] softmax(double[] z) {
        double max = Arrays.stream(z).max().getAsDouble(), sum = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) sum += e[i] = Math.exp(z[i] - max);
        for (int i = 0; i < z.length; i++) e[i] /= sum;
        return e;
    }
}
