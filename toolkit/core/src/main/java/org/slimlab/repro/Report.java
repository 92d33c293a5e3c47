package org.slimlab.repro;

import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The markdown report of a reproduce run: per method, the summary table, the claims and the plots. */
public final class Report {

    private Report() {}

    /** Writes {@code out/report.md} for results already saved under {@code out/<method>/}. */
    public static Path write(Path out, List<ReproductionResult> results) { return write(out, results, java.util.Map.of()); }

    /** The same, listing the methods that failed (name -> error) so a partial main job still reports what it did. */
    public static Path write(Path out, List<ReproductionResult> results, java.util.Map<String, String> failed) {
        StringBuilder md = new StringBuilder("# SlimLab reproduction report\n\n");
        md.append("Generated ").append(org.slimlab.results.RunInfo.now()).append(" from commit ")
                .append(org.slimlab.results.RunInfo.gitCommit()).append(".\n\n");
        md.append("| method | scale | rows | claims holding | time |\n|---|---|---|---|---|\n");
        for (ReproductionResult r : results)
            md.append(String.format("| %s | %s | %d | %d / %d | %.0f s |%n", r.method(), r.scale().label(), r.results().size(),
                    r.claimList().stream().filter(Claim::holds).count(), r.claimList().size(), r.seconds()));
        for (var f : failed.entrySet())
            md.append("| ").append(f.getKey()).append(" | FAILED: ").append(f.getValue().replace("|", "\\|").replace("\n", " ")).append(" | | | |\n");
        for (ReproductionResult r : results) {
            md.append("\n## ").append(r.title()).append(" (`").append(r.method()).append("`)\n\n");
            md.append("### Results (mean over seeds)\n\n").append(markdown(r.results().summary())).append('\n');
            md.append("### Claims (ours vs the claim)\n\n").append(markdown(r.claims())).append('\n');
            for (String p : r.plotNames()) md.append("![").append(p).append("](").append(r.method()).append('/').append(p).append(".png)\n\n");
            md.append("All rows: [`").append(r.method()).append("/results.csv`](").append(r.method()).append("/results.csv)\n");
        }
        try {
            Files.createDirectories(out);
            return Files.writeString(out.resolve("report.md"), md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Tablesaw table as a GitHub markdown table. */
    public static String markdown(Table t) {
        StringBuilder s = new StringBuilder("|");
        for (String c : t.columnNames()) s.append(' ').append(c).append(" |");
        s.append("\n|").append("---|".repeat(t.columnCount())).append('\n');
        for (int i = 0; i < t.rowCount(); i++) {
            s.append('|');
            for (int j = 0; j < t.columnCount(); j++) {
                Object v = t.column(j).get(i);
                s.append(' ').append(v instanceof Double d ? String.format("%.4f", d) : String.valueOf(v).replace("|", "\\|")).append(" |");
            }
            s.append('\n');
        }
        return s.toString();
    }
}
