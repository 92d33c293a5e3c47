package org.slimlab.repro;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The baselines reproduction at smoke scale: every arm yields a row, files and report are written. */
class BaselinesSmokeTest {

    @Test
    void runsEveryArmAndWritesTablesPlotsAndReport(@TempDir Path out) throws Exception {
        Reproduction r = Reproductions.get("baselines");
        ReproductionResult res = r.run(Scale.SMOKE, 1);
        // dense + 4 arms x 2 targets for the smoke model
        assertThat(res.results().size()).isEqualTo(9);
        assertThat(res.table().doubleColumn("accuracy").min()).isBetween(0.0, 1.0);
        // the structural claims hold at any scale: targets met, masked == sliced
        assertThat(res.claimList().get(0).holds()).as(res.claimList().get(0).toString()).isTrue();
        assertThat(res.claimList().get(1).holds()).as(res.claimList().get(1).toString()).isTrue();
        res.save(out.resolve("baselines"));
        Report.write(out, List.of(res));
        for (String f : List.of("results.csv", "claims.csv", "accuracy_vs_macs.png", "accuracy_vs_macs.svg"))
            assertThat(Files.size(out.resolve("baselines").resolve(f))).as(f).isGreaterThan(100);
        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("## Pruning baselines").contains("accuracy_vs_macs.png").contains("| statement |");
        // results merge on read
        assertThat(org.slimlab.results.Results.read(out).size()).isEqualTo(9);
    }
}
