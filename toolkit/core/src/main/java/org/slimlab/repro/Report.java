package org.slimlab.repro;

import org.slimlab.results.Results;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

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

    /**
     * The same, listing the methods that failed (name -> error) so a partial main job still reports what it did.
     * Methods saved in {@code out} by earlier runs ({@code out/<method>/results.csv} and {@code claims.csv}) and not run
     * this time are reported too, marked as earlier, so methods run one at a time into one folder share one report.
     */
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
        List<String> earlier = earlierMethods(out, results, failed.keySet());
        for (String m : earlier) {
            Table claims = readClaims(out.resolve(m));
            Table rows = Results.read(out.resolve(m).resolve("results.csv")).table();
            md.append(String.format("| %s | %s | %d | %d / %d | earlier run |%n", m, String.join(", ", rows.stringColumn("scale").unique().asList()),
                    rows.rowCount(), claims.booleanColumn("holds").countTrue(), claims.rowCount()));
        }
        for (ReproductionResult r : results)
            section(md, r.title(), r.method(), r.results().summary(), r.claims(), r.plotNames());
        for (String m : earlier) {
            Path dir = out.resolve(m);
            section(md, titleOf(m) + " (earlier run)", m, Results.read(dir.resolve("results.csv")).summary(), readClaims(dir), plots(dir));
        }
        try {
            Files.createDirectories(out);
            return Files.writeString(out.resolve("report.md"), md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void section(StringBuilder md, String title, String method, Table summary, Table claims, List<String> plots) {
        md.append("\n## ").append(title).append(" (`").append(method).append("`)\n\n");
        md.append("### Results (mean over seeds)\n\n").append(markdown(summary)).append('\n');
        md.append("### Claims (ours vs the claim)\n\n").append(markdown(claims)).append('\n');
        for (String p : plots) md.append("![").append(p).append("](").append(method).append('/').append(p).append(".png)\n\n");
        md.append("All rows: [`").append(method).append("/results.csv`](").append(method).append("/results.csv)\n");
    }

    /** Method folders under {@code out} holding a saved result that this run did not produce or fail. */
    private static List<String> earlierMethods(Path out, List<ReproductionResult> results, java.util.Set<String> failed) {
        if (!Files.isDirectory(out)) return List.of();
        java.util.Set<String> now = new java.util.HashSet<>(failed);
        results.forEach(r -> now.add(r.method()));
        try (var dirs = Files.list(out)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("results.csv")) && Files.isRegularFile(d.resolve("claims.csv")))
                    .map(d -> d.getFileName().toString()).filter(m -> !now.contains(m)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Table readClaims(Path dir) {
        try {
            return Table.read().usingOptions(CsvReadOptions.builder(dir.resolve("claims.csv").toFile())
                    .columnTypes(new ColumnType[]{ColumnType.STRING, ColumnType.DOUBLE, ColumnType.STRING, ColumnType.BOOLEAN}));
        } catch (RuntimeException e) {
            throw new IllegalStateException("unreadable claims file " + dir.resolve("claims.csv") + ": " + e.getMessage(), e);
        }
    }

    private static List<String> plots(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".png")).map(f -> f.substring(0, f.length() - 4))
                    .sorted(java.util.Comparator.comparing((String f) -> !f.equals("accuracy_vs_macs")).thenComparing(f -> f)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String titleOf(String method) {
        return Reproductions.all().stream().filter(r -> r.name().equals(method)).map(Reproduction::title).findFirst().orElse(method);
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
