package org.slimlab.gan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimlab.repro.Report;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.Reproductions;
import org.slimlab.repro.RunMemo;
import org.slimlab.repro.Scale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The GAN reproduction at smoke scale: every arm yields final and best rows, the structural claims hold, files are written. */
class GanSmokeTest {

    @Test
    void runsEveryArmAndWritesTablesPlotsAndReport(@TempDir Path out) throws Exception {
        long t0 = System.nanoTime();
        var rep = (GanReproduction) Reproductions.get("gan");
        GanReproduction.Detailed d = rep.runDetailed(Scale.SMOKE, 1, RunMemo.at(out.resolve("runs"), false));
        ReproductionResult res = d.result();
        System.out.printf("gan smoke: %.1f s%n%s%n%s%n", (System.nanoTime() - t0) / 1e9, res.table().printAll(), res.claims().printAll());
        // 4 generators x (final, best)
        assertThat(res.results().size()).isEqualTo(8);
        var fids = res.table().doubleColumn("accuracy");
        assertThat(fids.min()).isGreaterThan(0);
        assertThat(fids.asList()).allMatch(Double::isFinite);
        // students have 4x fewer channels: <= 1/10 of the teacher's MACs; FID sanity holds at any scale
        assertThat(res.claimList().get(2).holds()).as(res.claimList().get(2).toString()).isTrue();
        assertThat(res.claimList().get(3).holds()).as(res.claimList().get(3).toString()).isTrue();
        assertThat(res.claimList().get(4).holds()).as(res.claimList().get(4).toString()).isTrue();
        // training moved the students away from their (shared) initialisation in different directions
        GanRun run = d.runs().get(0);
        assertThat(run.finalFid("student-dcd")).isNotEqualTo(run.finalFid("student-l1"));
        assertThat(run.grid(d.pairs(), 6).getWidth()).isGreaterThan(6 * 28);
        res.save(out.resolve("gan"));
        Report.write(out, List.of(res));
        for (String f : List.of("results.csv", "claims.csv", "accuracy_vs_macs.png", "accuracy_vs_macs.svg", "fid_per_epoch.png"))
            assertThat(Files.size(out.resolve("gan").resolve(f))).as(f).isGreaterThan(100);
        assertThat(Files.readString(out.resolve("report.md"))).contains("DCD").contains("| statement |");
        assertThat(GanReproduction.oursVsPaper(res).rowCount()).isEqualTo(4);

        // the seed was kept; resuming reads it back (no run trained) with the same table and claims
        GanReproduction.Detailed resumed = rep.runDetailed(Scale.SMOKE, 1, RunMemo.at(out.resolve("runs"), true));
        assertThat(resumed.runs()).isEmpty();
        assertThat(resumed.result().table().doubleColumn("accuracy").asList()).isEqualTo(fids.asList());
        assertThat(resumed.result().claimList().subList(0, 3)).isEqualTo(res.claimList().subList(0, 3));
        assertThat(resumed.result().extraPlots().get("fid_per_epoch").getSeriesMap()).hasSameSizeAs(run.generators());
    }
}
