package org.slimlab.s2hpruner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimlab.repro.Claim;
import org.slimlab.repro.Report;
import org.slimlab.repro.Reproduction;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.Reproductions;
import org.slimlab.repro.Scale;
import org.slimlab.results.Results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code slimlab reproduce --method s2hpruner --scale smoke} does (the reproduction found by name, run, saved,
 * reported), with real properties checked: every arm has a row counted on its sliced network, the counts match the
 * widths the masks learned, the soft/hard table is complete, masks and slicing agree, and the files are written.
 */
class S2HPrunerSmokeTest {

    @Test
    void smokeReproductionRunsEveryArmAndWritesTablesPlotsAndReport(@TempDir Path out) throws Exception {
        Reproduction r = Reproductions.get("s2hpruner");
        List<S2HPrunerReproduction.Arms> arms = new ArrayList<>();
        ReproductionResult res = ((S2HPrunerReproduction) r).onArms(arms::add).run(Scale.SMOKE, 1);
        // dense + 3 L1 references + S2HPruner at 3 targets + DMP + 2 ablations
        assertThat(res.results().size()).isEqualTo(10);
        assertThat(res.table().stringColumn("arm").asList()).contains("dense", "l1-oneshot@20%", "s2hpruner@50%",
                "s2hpruner@35%", "s2hpruner@20%", "dmp@35%", "ablation-coupled-kd@35%", "ablation-no-gu@35%");
        assertThat(res.table().doubleColumn("accuracy").min()).isBetween(0.0, 1.0);
        S2HPrunerReproduction.Arms a = arms.get(0);
        assertThat(a.pruned()).hasSize(6);
        for (S2HResult p : a.pruned()) {
            // MACs counted on the sliced network are exactly what the learned hard widths predict
            assertThat(p.macsRatio()).as(p.arm()).isCloseTo(p.masks().hardMacsRatio(), org.assertj.core.api.Assertions.within(1e-9));
            assertThat(p.model().macs()).isLessThanOrEqualTo(a.dense().macs());
            assertThat(p.gap()).isEqualTo(p.softAccuracy() - p.hardAccuracy());
            assertThat(p.history().rowCount()).isEqualTo(1);
        }
        assertThat(a.table().rowCount()).isEqualTo(6);
        assertThat(a.table().columnNames()).contains("soft_acc", "hard_acc", "gap", "macs_ratio");
        // the structural claim holds at any scale
        Claim masked = res.claimList().get(res.claimList().size() - 1);
        assertThat(masked.holds()).as(masked.toString()).isTrue();
        assertThat(res.claimList()).hasSize(6).allSatisfy(c -> assertThat(Double.isNaN(c.measured())).as(c.statement()).isFalse());
        assertThat(S2HPrunerReproduction.oursVsPaper(res).rowCount()).isEqualTo(6);
        res.save(out.resolve("s2hpruner"));
        Report.write(out, List.of(res));
        for (String f : List.of("results.csv", "claims.csv", "accuracy_vs_macs.png", "accuracy_vs_macs.svg"))
            assertThat(Files.size(out.resolve("s2hpruner").resolve(f))).as(f).isGreaterThan(100);
        assertThat(Files.readString(out.resolve("report.md"))).contains("## S2HPruner: Soft-to-Hard").contains("accuracy_vs_macs.png");
        assertThat(Results.read(out).size()).isEqualTo(10);
    }
}
