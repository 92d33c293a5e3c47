package org.slimlab.repro;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimlab.results.ResultRow;
import org.slimlab.results.Results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {

    static ReproductionResult result(String method, double acc, boolean holds) {
        Results r = Results.create().add(new ResultRow(method, "arm", 1, "full", acc, 1000, 10, 1, 1, 2.5, 1, "abc", "now", ""));
        return new ReproductionResult(method, "Title of " + method, Scale.FULL, r,
                List.of(Claim.atLeast("accuracy, at least, a half", acc, 0.5), new Claim("second", 1, "> 0", holds)),
                r.plotAccuracyVsMacs(), Map.of(), 3);
    }

    @Test
    void methodsRunOneAtATimeIntoOneFolderShareTheReport(@TempDir Path out) throws Exception {
        ReproductionResult a = result("alpha", 0.75, true), b = result("beta", 0.25, false);
        a.save(out.resolve("alpha"));
        Report.write(out, List.of(a));
        b.save(out.resolve("beta"));
        String md = Files.readString(Report.write(out, List.of(b), Map.of("gamma", "boom")));
        assertThat(md).contains("| beta | full | 1 | 0 / 2 | 3 s |")
                .contains("| alpha | full | 1 | 2 / 2 | earlier run |")
                .contains("| gamma | FAILED: boom |")
                .contains("## Title of beta (`beta`)")
                .contains("## alpha (earlier run) (`alpha`)")
                .contains("| accuracy, at least, a half | 0.7500 | >= 0.5000 | true |")
                .contains("![accuracy_vs_macs](alpha/accuracy_vs_macs.png)");
        assertThat(md.indexOf("## Title of beta")).isLessThan(md.indexOf("## alpha (earlier run)"));
    }
}
