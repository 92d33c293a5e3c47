package org.slimlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.slimlab.repro.Claim;
import org.slimlab.repro.Reproduction;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.Scale;
import org.slimlab.results.ResultRow;
import org.slimlab.results.Results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The main job keeps going when one method fails, and its report says which. */
class ReproduceCommandTest {

    static Reproduction fake(String name, boolean fails) {
        return new Reproduction() {
            public String name() { return name; }
            public String title() { return name + " (test)"; }
            public ReproductionResult run(Scale scale, int seeds) {
                if (fails) throw new IllegalStateException("diverged at step 3");
                Results r = Results.create().add(new ResultRow(name, "arm", 1, scale.label(), 0.5, 10, 5, 1, 1, 0, 1, "h", "now", ""));
                return new ReproductionResult(name, title(), scale, r, List.of(Claim.atLeast("works", 1, 0)),
                        r.plotAccuracyVsMacs(), Map.<String, XYChart>of(), 0.1);
            }
        };
    }

    @Test
    void aFailingMethodIsReportedAndTheOthersStillRun(@TempDir Path out) throws Exception {
        int rc = ReproduceCommand.run(List.of(fake("first", true), fake("second", false)), Scale.SMOKE, 1, out, false);
        assertThat(rc).isEqualTo(1);
        assertThat(out.resolve("second/results.csv")).exists();
        assertThat(out.resolve("first")).doesNotExist();
        String report = Files.readString(out.resolve("report.md"));
        assertThat(report).contains("| first | FAILED: java.lang.IllegalStateException: diverged at step 3").contains("## second (test)");
        assertThat(ReproduceCommand.run(List.of(fake("third", false)), Scale.SMOKE, 1, out.resolve("ok"), false)).isZero();
    }

    @Test
    void methodsAreChosenByNameInTheOrderGiven() {
        assertThat(ReproduceCommand.chosen("gkt, baselines").stream().map(Reproduction::name)).containsExactly("gkt", "baselines");
        assertThat(ReproduceCommand.chosen("all").stream().map(Reproduction::name)).contains("baselines", "gkt", "s2hpruner");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReproduceCommand.chosen("gkt,nope"))
                .hasMessageContaining("no reproduction 'nope'");
    }
}
