package org.slimlab.cli;

import org.slimlab.repro.Report;
import org.slimlab.repro.Reproduction;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.Reproductions;
import org.slimlab.repro.Scale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code slimlab reproduce [--method NAME|all] [--scale smoke|quick|full] [--seeds N] [--out DIR]}: runs the
 * reproductions and writes DIR/<method>/results.csv, claims.csv, accuracy_vs_macs.png/.svg and DIR/report.md.
 */
@Command(name = "reproduce", description = "Run method reproductions with their baselines and write tables, plots and a report.")
final class ReproduceCommand implements Callable<Integer> {

    @Option(names = "--method", defaultValue = "all", description = "a method name or 'all' (default)")
    String method;

    @Option(names = "--scale", defaultValue = "quick", description = "smoke, quick (default) or full")
    String scale;

    @Option(names = "--seeds", description = "seeds per arm (default 1 at smoke/quick, 3 at full)")
    Integer seeds;

    @Option(names = "--out", defaultValue = "results", description = "output directory (default results/)")
    Path out;

    @Override
    public Integer call() {
        Scale s = Scale.of(scale);
        int n = seeds != null ? seeds : (s == Scale.FULL ? 3 : 1);
        List<Reproduction> todo = method.equalsIgnoreCase("all") ? Reproductions.all() : List.of(Reproductions.get(method));
        List<ReproductionResult> done = new ArrayList<>();
        for (Reproduction r : todo) {
            System.out.printf("== %s: %s (%s, %d seed%s)%n", r.name(), r.title(), s.label(), n, n == 1 ? "" : "s");
            ReproductionResult res = r.run(s, n);
            Path dir = res.save(out.resolve(r.name()));
            System.out.println(res.results().summary().printAll());
            System.out.println(res.claims().printAll());
            System.out.printf("%s -> %s (%.0f s)%n", res, dir, res.seconds());
            done.add(res);
        }
        Path report = Report.write(out, done);
        System.out.println("report: " + report);
        return 0;
    }
}
