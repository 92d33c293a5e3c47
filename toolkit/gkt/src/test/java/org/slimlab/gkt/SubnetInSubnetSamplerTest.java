package org.slimlab.gkt;

import org.junit.jupiter.api.Test;
import org.slimlab.distill.DepthSubnets;
import org.slimlab.distill.SubnetKd;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.nn.Residual;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** METHODS.md §3's invariants of subnet-in-subnet sampling: S_g ⊆ S_{g-1}, loops restart at S_0. */
class SubnetInSubnetSamplerTest {

    static final Model NET = Models.cifarResnet(20, new int[]{4, 8, 8}, 1, 12, 10, 1);

    @Test
    void everyChildIsASubsetOfItsParentAndLevelsCycleOneToG() {
        SubnetInSubnetSampler s = SubnetInSubnetSampler.of(NET).levels(3).dropProbability(0.3);
        Random rng = new Random(7);
        List<Residual> all = s.space().droppable();
        SubnetInSubnetSampler.Draw prev = null;
        int strictlySmaller = 0;
        for (int i = 0; i < 300; i++) {
            SubnetInSubnetSampler.Draw d = s.next(rng);
            assertThat(d.level()).isEqualTo(i % 3 + 1);
            assertThat(all).containsAll(d.kept());
            if (d.level() > 1) {
                assertThat(prev.kept()).containsAll(d.kept());   // S_g ⊆ S_{g-1}
                if (d.kept().size() < prev.kept().size()) strictlySmaller++;
            }
            // the subnet runs exactly the kept droppable blocks
            for (Residual r : all) assertThat(d.subnet().keep().test(r)).isEqualTo(d.kept().contains(r));
            prev = d;
        }
        assertThat(strictlySmaller).isGreaterThan(50);   // the children really shrink
    }

    @Test
    void aNewLoopRestartsAtTheMainNetNotAtTheLastChild() {
        SubnetInSubnetSampler s = SubnetInSubnetSampler.of(NET).levels(2).dropProbability(0.5);
        Random rng = new Random(3);
        int regrown = 0;
        for (int loop = 0; loop < 100; loop++) {
            s.next(rng);
            SubnetInSubnetSampler.Draw last = s.next(rng);
            SubnetInSubnetSampler.Draw first = s.next(rng);
            assertThat(first.level()).isEqualTo(1);
            if (!last.kept().containsAll(first.kept())) regrown++;   // a block dropped at S_2 is back in the new S_1
            s.next(rng);   // finish the loop
        }
        assertThat(regrown).isGreaterThan(20);
        s.restart();
        assertThat(s.next(rng).level()).isEqualTo(1);
    }

    @Test
    void largeSubnetsAreFavouredByInheritingExponentialDecay() {
        SubnetInSubnetSampler s = SubnetInSubnetSampler.of(NET).levels(2).dropProbability(0.2);
        DepthSubnets space = s.space();
        Random rng = new Random(11);
        double[] sum = new double[3];
        int n = 4000;
        for (int i = 0; i < 2 * n; i++) {
            SubnetInSubnetSampler.Draw d = s.next(rng);
            sum[d.level()] += d.kept().size();
        }
        int k = space.droppable().size();   // 7 for ResNet-20: level g keeps each with probability 0.8^g
        assertThat(sum[1] / n).isCloseTo(k * 0.8, org.assertj.core.data.Offset.offset(0.1));
        assertThat(sum[2] / n).isCloseTo(k * 0.64, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void equalDrawsShareOneCompiledGraphSoSamplingCostsNoRebuild() {
        SubnetInSubnetSampler s = SubnetInSubnetSampler.of(NET).levels(1).dropProbability(0.5);
        Random rng = new Random(2);
        SubnetKd kd = SubnetKd.of(1);
        java.util.Map<java.util.Set<Residual>, org.slimlab.graph.Compiled> seen = new java.util.HashMap<>();
        int hits = 0;
        for (int i = 0; i < 40 && hits == 0; i++) {
            SubnetInSubnetSampler.Draw d = s.next(rng);
            java.util.Set<Residual> key = java.util.Set.copyOf(d.kept());
            org.slimlab.graph.Compiled g = d.subnet().trainGraph(NET, kd);
            if (seen.containsKey(key)) { assertThat(g).isSameAs(seen.get(key)); hits++; }
            else { seen.values().forEach(other -> assertThat(g).isNotSameAs(other)); seen.put(key, g); }
        }
        assertThat(hits).isEqualTo(1);
    }

    @Test
    void theSameSeedDrawsTheSameSubnetsAndBadSettingsAreRefused() {
        List<Integer> a = new ArrayList<>(), b = new ArrayList<>();
        SubnetInSubnetSampler s1 = SubnetInSubnetSampler.of(NET), s2 = SubnetInSubnetSampler.of(NET);
        Random r1 = new Random(5), r2 = new Random(5);
        for (int i = 0; i < 50; i++) { a.add(s1.next(r1).kept().size()); b.add(s2.next(r2).kept().size()); }
        assertThat(a).isEqualTo(b);
        assertThat(SubnetInSubnetSampler.of(NET).dropProbability(0).next(new Random(1)).kept()).hasSize(7);
        assertThat(SubnetInSubnetSampler.of(NET).dropProbability(1).next(new Random(1)).kept()).isEmpty();
        assertThatThrownBy(() -> SubnetInSubnetSampler.of(NET).levels(0)).hasMessageContaining("levels");
        assertThatThrownBy(() -> SubnetInSubnetSampler.of(NET).dropProbability(1.5)).hasMessageContaining("drop probability");
    }
}
