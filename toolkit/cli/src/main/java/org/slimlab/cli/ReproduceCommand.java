package org.slimlab.cli;

import org.slimlab.repro.Report;
import org.slimlab.repro.Reproduction;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.Reproductions;
import org.slimlab.repro.RunMemo;
import org.slimlab.repro.Scale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code slimlab reproduce [--method NAME[,NAME...]|all] [--scale smoke|quick|full] [--seeds N] [--out DIR] [--resume]}: runs the
 * reproductions and writes DIR/<method>/results.csv, claims.csv, accuracy_vs_macs.png/.svg and DIR/report.md.
 * Finished arms are kept in DIR/<method>/runs/ by the reproductions that support it; {@code --resume} reuses them.
 */
@Command(name = "reproduce", description = "Run method reproductions with their baselines and write tables, plots and a report.")
final class ReproduceCommand implements Callable<Integer> {

    @Option(names = "--method", defaultValue = "all", description = "a method name, several separated by commas, or 'all' (default)")
    String method;

    @Option(names = "--scale", defaultValue = "quick", description = "smoke, quick (default) or full")
    String scale;

    @Option(names = "--seeds", description = "seeds per arm (default 1 at smoke/quick, 3 at full)")
    Integer seeds;

    @Option(names = "--out", defaultValue = "results", description = "output directory (default results/)")
    Path out;

    @Option(names = "--resume", description = "reuse the arms a stopped run finished (DIR/<method>/runs/); same code and budget assumed")
    boolean resume;

    @Override
    public Integer call() {
        Scale s = Scale.of(scale);
        int n = seeds != null ? seeds : (s == Scale.FULL ? 3 : 1);
        return run(chosen(method), s, n, out, resume);
    }

    /** The reproductions named by {@code --method}: all, one, or a comma-separated list in the order given. */
    static List<Reproduction> chosen(String method) {
        if (method.equalsIgnoreCase("all")) return Reproductions.all();
        return java.util.Arrays.stream(method.split(",")).map(String::trim).filter(m -> !m.isEmpty()).map(Reproductions::get).toList();
    }

    /** Runs each reproduction in turn; one that throws is reported and the rest still run. Exit code 1 if any failed. */
    static int run(List<Reproduction> todo, Scale s, int n, Path out, boolean resume) {
        List<ReproductionResult> done = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (Reproduction r : todo) {
            System.out.printf("== %s: %s (%s, %d seed%s)%n", r.name(), r.title(), s.label(), n, n == 1 ? "" : "s");
            try {
                ReproductionResult res = r.run(s, n, RunMemo.at(out.resolve(r.name()).resolve("runs"), resume));
                Path dir = res.save(out.resolve(r.name()));
                System.out.println(res.results().summary().printAll());
                System.out.println(res.claims().printAll());
                System.out.printf("%s -> %s (%.0f s)%n", res, dir, res.seconds());
                done.add(res);
            } catch (RuntimeException e) {
                // one failing method must not cost the others' results: report it and go on
                System.err.printf("!! %s failed: %s%n", r.name(), e);
                e.printStackTrace();
                failed.put(r.name(), String.valueOf(e));
            }
            Report.write(out, done, failed);   // after every method, so an interrupted main job keeps its report
        }
        System.out.println("report: " + out.resolve("report.md"));
        if (!failed.isEmpty()) {
            System.err.println("failed: " + String.join(", ", failed.keySet()));
            return 1;
        }
        return 0;
    }
}
