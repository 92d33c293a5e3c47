package org.slimlab.stp;

import org.junit.jupiter.api.Test;
import org.slimlab.distill.SubnetKd;
import org.slimlab.nn.Model;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The exploration's rule: lowest KL committed, one chunk/block per round, mutants each step, stop at the target. */
class ExplorationTest {

    @Test
    void eachRoundCommitsTheCandidateWithTheLowestAveragedKlUntilTheTargetIsReached() {
        Model net = SupernetSpaceTest.tiny(1);
        SupernetSpace space = SupernetSpace.of(net, 2);
        Exploration e = new Exploration(space, new double[]{0.6, 0.3}, 2, 1);
        SubnetKd kd = SubnetKd.of(1);
        List<Architecture> seen = new ArrayList<>();
        // a fake KL: shrinking depth is cheap, then width of later groups; each architecture's KL is its "damage"
        java.util.function.ToDoubleFunction<Architecture> damage = a -> {
            double kl = 0;
            for (int g = 0; g < space.groups().size(); g++) kl += (space.groups().get(g).channels() - a.width(g)) * (10.0 - g + 0.01 * g * g);   // no ties
            for (int s = 0; s < space.stageCount(); s++) kl += (space.maxDepth(s) - a.depth(s)) * (0.5 + s);
            return kl;
        };
        StpStep.Distiller pass = a -> { seen.add(a); return damage.applyAsDouble(a); };
        int steps = 0;
        while (!e.done() && steps < 500) { e.step(null, null, kd, pass); steps++; }
        assertThat(e.done()).isTrue();
        var rounds = e.rounds();
        assertThat(rounds.get(0).move()).isEqualTo("stage 1 depth");
        assertThat(rounds.get(1).move()).isEqualTo("stage 2 depth");
        Architecture at = space.full();
        for (var r : rounds) {   // each committed move is the argmin of the KL over that round's candidates
            SupernetSpace.Move best = space.shrinkMoves(at).stream()
                    .min(java.util.Comparator.comparingDouble(m -> damage.applyAsDouble(m.result()))).orElseThrow();
            assertThat(r.move()).isEqualTo(space.label(best));
            assertThat(r.kl()).isEqualTo(damage.applyAsDouble(best.result()));
            at = best.result();
        }
        for (int i = 1; i < rounds.size(); i++) assertThat(rounds.get(i).macsRatio()).isLessThan(rounds.get(i - 1).macsRatio());
        assertThat(space.macsRatio(e.found().get(0.3))).isLessThanOrEqualTo(0.3);
        assertThat(space.macsRatio(e.found().get(0.6))).isLessThanOrEqualTo(0.6).isGreaterThan(0.3);
        // one round: every candidate for 2 steps + a mutant each step
        int firstRound = 2 * (space.groups().size() + space.stageCount());
        assertThat(seen.subList(0, 2 * firstRound)).filteredOn(a -> a.equals(space.full())).isNotEmpty();   // mutants of the full net
        assertThat(e.table().rowCount()).isEqualTo(rounds.size());
    }
}
