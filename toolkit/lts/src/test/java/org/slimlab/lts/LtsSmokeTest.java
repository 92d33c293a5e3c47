package org.slimlab.lts;

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

/** The LTS reproduction at smoke scale: every arm yields a row, the structural claims hold, files and report are written. */
class LtsSmokeTest {

    @Test
    void runsEveryArmAndWritesTablesPlotsAndReport(@TempDir Path out) throws Exception {
        long t0 = System.nanoTime();
        Reproduction r = Reproductions.get("lts");
        ReproductionResult res = r.run(Scale.SMOKE, 1, RunMemo.at(out.resolve("runs"), false));
        System.out.println(res.claims().print());
        System.out.println(res.table().print());
        System.out.printf("smoke reproduction: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(res.table().stringColumn("arm").asList()).containsExactly("fp32", "qat-w2a2", "lts-w2a2", "random-freeze-w2a2");
        assertThat(res.table().doubleColumn("accuracy").asList()).allMatch(a -> a >= 0 && a <= 1);
        // quantised arms: same MACs as the full-precision net, 4 bounds more per layer (4 layers)
        assertThat(res.table().longColumn("macs").asList()).containsOnly(res.table().longColumn("macs").get(0));
        assertThat(res.table().longColumn("params").get(1)).isEqualTo(res.table().longColumn("params").get(0) + 16);
        // structural claims hold at any scale: nothing frozen in warm-up, freezing permanent, frozen values fixed
        List<Claim> c = res.claimList();
        for (int i = 0; i < 3; i++) assertThat(c.get(i).holds()).as(c.get(i).toString()).isTrue();
        assertThat(c.get(2).statement()).doesNotContain("of 0 comparisons");   // something did freeze and was checked
        assertThat(c.get(3).measured()).as("updates eliminated").isGreaterThan(0);
        // the random control froze exactly as many weights per iteration as LTS: same updates eliminated
        String ltsNote = res.table().stringColumn("note").get(2), randomNote = res.table().stringColumn("note").get(3);
        assertThat(ltsNote).startsWith(randomNote);
        res.save(out.resolve("lts"));
        Report.write(out, List.of(res));
        for (String f : List.of("results.csv", "claims.csv", "accuracy_vs_macs.png", "accuracy_vs_bitops.png",
                "frozen_ratio.png", "scratch_off.png"))
            assertThat(Files.size(out.resolve("lts").resolve(f))).as(f).isGreaterThan(100);
        assertThat(Files.readString(out.resolve("report.md"))).contains("## LTS").contains("scratch_off.png");

        // the seed was kept: a resumed run trains nothing and gives the same table, claims and plots
        long t1 = System.nanoTime();
        ReproductionResult resumed = r.run(Scale.SMOKE, 1, RunMemo.at(out.resolve("runs"), true));
        assertThat((System.nanoTime() - t1) / 1e9).isLessThan((t1 - t0) / 1e9 / 2);
        assertThat(resumed.table().doubleColumn("accuracy").asList()).isEqualTo(res.table().doubleColumn("accuracy").asList());
        assertThat(resumed.claimList()).isEqualTo(res.claimList());
        assertThat(resumed.extraPlots().keySet()).containsExactlyElementsOf(res.extraPlots().keySet());
        assertThat(resumed.extraPlots().get("frozen_ratio").getSeriesMap().keySet())
                .containsExactlyElementsOf(res.extraPlots().get("frozen_ratio").getSeriesMap().keySet());

        // each arm is kept on its own: without the random control's piece, a resumed run retrains the pre-training
        // (same seed, same weights) and trains the control from its LTS arm's kept frozen counts, to the same result
        Path randomPiece;
        try (var files = Files.list(out.resolve("runs"))) {
            randomPiece = files.filter(f -> f.getFileName().toString().startsWith("lts-smoke-random-freeze-w2a2-seed1-"))
                    .findFirst().orElseThrow();
        }
        Files.delete(randomPiece);
        ReproductionResult partial = r.run(Scale.SMOKE, 1, RunMemo.at(out.resolve("runs"), true));
        assertThat(Files.exists(randomPiece)).isTrue();
        assertThat(partial.table().doubleColumn("accuracy").asList()).isEqualTo(res.table().doubleColumn("accuracy").asList());
        assertThat(partial.table().stringColumn("note").asList()).isEqualTo(res.table().stringColumn("note").asList());
        assertThat(partial.claimList()).isEqualTo(res.claimList());
    }
}
