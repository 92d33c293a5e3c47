package org.slimlab.gkt;

import org.junit.jupiter.api.Test;
import org.slimlab.nn.Models;
import org.slimlab.repro.Reproductions;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.RunMemo;
import org.slimlab.repro.Scale;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The whole GKT reproduction at smoke scale: four arms, three evaluated depth subnets each (27 at quick scale), claims, plot, files. */
class GktSmokeTest {

    @Test
    void smokeRunEvaluatesEveryArmOnEverySubnetAndWritesItsFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ReproductionResult r = Reproductions.get("gkt").run(Scale.SMOKE, 1, RunMemo.at(dir.resolve("runs"), false));
        Table t = r.table();
        assertThat(t.rowCount()).isEqualTo(4 * 3);
        long full = Models.cifarResnet(20, GktReproduction.WIDTHS, 1, 28, 10, 1).macs();
        for (String arm : GktReproduction.ARMS) {
            Table rows = t.where(t.stringColumn("arm").startsWith(arm + "@"));
            assertThat(rows.rowCount()).as(arm).isEqualTo(3);
            Table whole = t.where(t.stringColumn("arm").isEqualTo(arm + "@3-3-3"));
            assertThat(whole.longColumn("macs").get(0)).isEqualTo(full);
            assertThat(rows.longColumn("macs").min()).isLessThan(full * 0.8);
            assertThat(rows.doubleColumn("accuracy").min()).isBetween(0.0, 1.0);
        }
        assertThat(r.claimList()).hasSize(4).allSatisfy(c -> assertThat(c.measured()).isFinite());
        // GKT keeps more blocks than uniform prefix sampling by construction at q = 0.2 (claim 3 is a property)
        assertThat(r.claimList().get(3).holds()).isTrue();
        assertThat(r.plot().getSeriesMap()).containsOnlyKeys(GktReproduction.ARMS);
        assertThat(GktReproduction.oursVsPaper(r).rowCount()).isEqualTo(4);
        r.save(dir);
        assertThat(dir.resolve("accuracy_vs_macs.png")).exists();
        assertThat(Files.readAllLines(dir.resolve("claims.csv"))).hasSize(5);

        // every arm was kept as it finished; a resumed run reads them back instead of training (proven by an edited piece)
        Path common;
        try (var pieces = Files.list(dir.resolve("runs"))) {
            List<Path> all = pieces.toList();
            assertThat(all).hasSize(4);
            common = all.stream().filter(p -> p.getFileName().toString().startsWith("gkt-smoke-common-seed1-")).findFirst().orElseThrow();
        }
        Files.writeString(common, Files.readString(common).replaceFirst("\"fullAccuracy\" : [0-9.Ee-]+", "\"fullAccuracy\" : 0.0"));
        ReproductionResult resumed = Reproductions.get("gkt").run(Scale.SMOKE, 1, RunMemo.at(dir.resolve("runs"), true));
        assertThat(resumed.table().doubleColumn("accuracy").asList()).isEqualTo(t.doubleColumn("accuracy").asList());
        assertThat(resumed.claimList().get(2).measured()).isEqualTo(r.claimList().get(2).measured()
                + t.where(t.stringColumn("arm").isEqualTo("common@3-3-3")).doubleColumn("accuracy").get(0), within(1e-12));
    }
}
