package org.slimlab.smmix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimlab.repro.Report;
import org.slimlab.repro.Reproduction;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.Reproductions;
import org.slimlab.repro.Scale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code slimlab reproduce --method smmix --scale smoke}: every arm yields a row, claims, files and report. */
class SMMixSmokeTest {

    @Test
    void runsEveryArmAndWritesTablesPlotsAndReport(@TempDir Path out) throws Exception {
        Reproduction r = Reproductions.get("smmix");
        ReproductionResult res = r.run(Scale.SMOKE, 1);
        assertThat(res.results().size()).isEqualTo(SMMixReproduction.ARMS.size());
        assertThat(res.table().stringColumn("arm").asList()).containsExactlyElementsOf(SMMixReproduction.ARMS);
        assertThat(res.table().doubleColumn("accuracy").min()).isBetween(0.0, 1.0);
        // every arm evaluates the same network (CLS head only): the same counted MACs and params
        long macs = SMMixReproduction.model(Scale.SMOKE, 1).macs();
        assertThat(res.table().longColumn("macs").asList()).allMatch(v -> v == macs);
        assertThat(res.claimList()).hasSize(2);
        assertThat(res.claimList().get(1).measured()).as("epoch-time ratio").isGreaterThan(0.2).isLessThan(20);
        res.save(out.resolve("smmix"));
        Report.write(out, List.of(res));
        for (String f : List.of("results.csv", "claims.csv", "accuracy_vs_macs.png", "accuracy_vs_macs.svg", "epoch_time.png"))
            assertThat(Files.size(out.resolve("smmix").resolve(f))).as(f).isGreaterThan(100);
        assertThat(Files.readString(out.resolve("report.md"))).contains("## SMMix").contains("| statement |");
        assertThat(SMMixReproduction.oursVsPaper(res).rowCount()).isEqualTo(4);
    }
}
