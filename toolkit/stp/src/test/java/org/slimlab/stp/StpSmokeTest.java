package org.slimlab.stp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimlab.repro.Claim;
import org.slimlab.repro.Report;
import org.slimlab.repro.Reproduction;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.Reproductions;
import org.slimlab.repro.RunMemo;
import org.slimlab.repro.Scale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The STP reproduction at smoke scale: every arm at both targets, equal epochs, targets met, files written. */
class StpSmokeTest {

    @Test
    void runsArmsAToDAtBothTargetsAndWritesTablesPlotsAndReport(@TempDir Path out) throws Exception {
        Reproduction r = Reproductions.get("stp");
        assertThat(r).isInstanceOf(StpReproduction.class);
        StpReproduction.Outcome o = ((StpReproduction) r).runDetailed(Scale.SMOKE, 1, RunMemo.at(out.resolve("runs"), false));
        ReproductionResult res = o.result();
        var t = res.table();
        // dense + A, B, C, D at 50% and 15% + the STP supernet
        assertThat(t.rowCount()).isEqualTo(10);
        assertThat(t.stringColumn("arm").asList()).contains("A-l1@15%", "B-l1-ft@15%", "C-group-lasso@15%", "D-stp@15%", "D-stp@50%");
        assertThat(t.doubleColumn("accuracy").min()).isBetween(0.0, 1.0);
        // equal total epochs in every arm (STP may only exceed it if its exploration ran out of budget)
        assertThat(t.intColumn("epochs").asList()).allSatisfy(e -> assertThat(e).isEqualTo(StpReproduction.budget(Scale.SMOKE).epochs()));
        // the pruned networks are physically smaller and meet their targets
        for (int i = 0; i < t.rowCount(); i++) {
            String arm = t.stringColumn("arm").get(i);
            double ratio = t.doubleColumn("macs_ratio").get(i);
            if (arm.endsWith("@15%")) assertThat(ratio).as(arm).isLessThanOrEqualTo(0.17).isGreaterThan(0.02);
            if (arm.endsWith("@50%")) assertThat(ratio).as(arm).isLessThanOrEqualTo(0.52).isGreaterThan(0.15);
        }
        List<Claim> claims = res.claimList();
        assertThat(claims).hasSize(10);
        Claim targets = claims.get(8), masked = claims.get(9);
        assertThat(targets.holds()).as(targets.toString()).isTrue();
        assertThat(masked.holds()).as(masked.toString()).isTrue();
        // relative sparsity recorded per epoch for A, C and D; group lasso shrinks the dropped filters below A's
        var rs = o.sparsity().table();
        assertThat(rs.stringColumn("arm").unique().asList()).containsExactlyInAnyOrder("A", "C", "D");
        assertThat(o.sparsity().last("C", 0.15).dropped()).isLessThan(o.sparsity().last("A", 0.15).dropped());
        // the exploration reached both targets, each round removing MACs
        StpResult d = o.stp().get(0);
        assertThat(d.exploration().rowCount()).isGreaterThan(1);
        assertThat(d.space().macsRatio(d.architecture(0.15))).isLessThanOrEqualTo(0.15);
        res.save(out.resolve("stp"));
        Report.write(out, List.of(res));
        for (String f : List.of("results.csv", "claims.csv", "accuracy_vs_macs.png", "relative_sparsity.png", "dropped_magnitude.png"))
            assertThat(Files.size(out.resolve("stp").resolve(f))).as(f).isGreaterThan(100);
        assertThat(Files.readString(out.resolve("report.md"))).contains("STP").contains("relative_sparsity.png");

        // both pieces of the seed were kept: a resumed run trains nothing and gives the same rows, claims and records
        StpReproduction.Outcome resumed = ((StpReproduction) r).runDetailed(Scale.SMOKE, 1, RunMemo.at(out.resolve("runs"), true));
        assertThat(resumed.stp()).isEmpty();
        assertThat(resumed.result().table().doubleColumn("accuracy").asList()).isEqualTo(t.doubleColumn("accuracy").asList());
        assertThat(resumed.result().claimList()).isEqualTo(claims);
        assertThat(resumed.sparsity().rows()).isEqualTo(o.sparsity().rows());
    }
}
