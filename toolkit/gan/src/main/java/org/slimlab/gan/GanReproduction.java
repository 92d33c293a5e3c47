package org.slimlab.gan;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slimlab.plot.Charts;
import org.slimlab.repro.Claim;
import org.slimlab.repro.Reproduction;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.RunMemo;
import org.slimlab.repro.Scale;
import org.slimlab.results.ResultRow;
import org.slimlab.results.Results;
import org.slimlab.results.RunInfo;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reproduction of DCD ("Discriminator-Cooperated Feature Map Distillation for GAN Compression", arXiv 2212.14169,
 * CVPR 2023) and CRD ("Exploring Content Relationships for Distilling Efficient GANs", arXiv 2212.11091) at small
 * scale (METHODS.md section 6): paired edge-map -> garment translation on Fashion-MNIST; a ResNet teacher generator
 * and a conditional PatchGAN teacher discriminator trained together (LSGAN + 100 L1); three students with 4x fewer
 * channels trained in the same loop with their own optimisers: the pixel-L1 baseline, +DCD and +CRD (each student
 * loss also has the perceptual and adversarial terms). FID on a separately trained Fashion-MNIST CNN's penultimate
 * features, on the test pairs; final and best-on-test FID are both reported (the best is model selection on the
 * test set). In the results table the {@code accuracy} column holds the test FID (lower is better).
 */
public final class GanReproduction implements Reproduction {

    static final List<String> ARMS = List.of("teacher", "student-l1", "student-dcd", "student-crd");

    /** Sizes per scale. */
    record Budget(int train, int test, int teacherNgf, int studentNgf, int blocks, int ndf, int epochs, int batch,
                  int featureImages, int featureEpochs, int minSeeds) {}

    static Budget budget(Scale s) {
        return switch (s) {
            case SMOKE -> new Budget(32, 48, 8, 2, 3, 8, 2, 16, 256, 1, 1);
            case QUICK -> new Budget(192, 192, 16, 4, 6, 16, 4, 16, 3000, 1, 2);
            case FULL -> new Budget(4000, 1000, 32, 8, 6, 16, 20, 16, 20000, 3, 3);
        };
    }

    /** Everything one reproduction produced, for notebooks: the result, the data, the runs (one per seed), FID. */
    public record Detailed(ReproductionResult result, EdgePairs pairs, List<GanRun> runs, Fid fid, Table fidSanity) {}

    @Override
    public String name() { return "gan"; }

    @Override
    public String title() { return "DCD (arXiv 2212.14169) and CRD (arXiv 2212.11091): distilling GAN generators"; }

    @Override
    public ReproductionResult run(Scale scale, int seeds) { return runDetailed(scale, seeds).result(); }

    @Override
    public ReproductionResult run(Scale scale, int seeds, RunMemo memo) { return runDetailed(scale, seeds, memo).result(); }

    /** Runs every arm for {@code max(seeds, the scale's minimum)} seeds (claims are means over >= 2 seeds from quick on). */
    public Detailed runDetailed(Scale scale, int seeds) { return runDetailed(scale, seeds, RunMemo.none()); }

    /**
     * As {@link #runDetailed(Scale, int)}, each seed's numbers kept in {@code memo}; {@link Detailed#runs()} then holds
     * the runs trained in this call only (a resumed seed has its numbers, not its generators). A seed in training
     * checkpoints each epoch in the memo's scratch directory, so a stopped run also resumes inside a seed.
     */
    public Detailed runDetailed(Scale scale, int seeds, RunMemo memo) {
        long began = System.nanoTime();
        Budget b = budget(scale);
        int n = Math.max(seeds, b.minSeeds());
        EdgePairs pairs = EdgePairs.fashionMnist(b.train(), b.test(), EdgePairs.THRESHOLD);
        FeatureNets.Trained perceptual = FeatureNets.perceptual(b.featureImages(), b.featureEpochs());
        FeatureNets.Trained fidNet = FeatureNets.fid(b.featureImages(), b.featureEpochs());
        Fid fid = Fid.on(fidNet.model());
        Table sanity = fidSanity(fid, pairs);
        Results results = Results.create();
        List<GanRun> runs = new ArrayList<>();
        List<SeedRun> seedRuns = new ArrayList<>();
        for (int seed = 1; seed <= n; seed++) {
            int s = seed;
            String key = RunMemo.key(name(), scale.label(), "seed" + seed, b);
            SeedRun sr = memo.get(key, SeedRun.class, () -> {
                GanRun run = GanDistillation.on(pairs).teacherWidth(b.teacherNgf()).studentWidth(b.studentNgf()).blocks(b.blocks())
                        .discriminatorWidth(b.ndf()).epochs(b.epochs()).batch(b.batch()).seed(s)
                        .fid(fid).perceptual(perceptual.model()).name("gan distillation seed " + s)
                        .checkpoints(memo.scratch(key)).fit();
                runs.add(run);
                return SeedRun.of(run, scale, s, b.epochs());
            });
            seedRuns.add(sr);
            results.config(sr.configHash(), sr.configJson());
            sr.rows().forEach(results::add);
        }
        SeedRun first = seedRuns.get(0);
        double l1 = mean(seedRuns, "student-l1"), dcd = mean(seedRuns, "student-dcd"), crd = mean(seedRuns, "student-crd");
        List<Double> sanityFid = sanity.doubleColumn("fid").asList();
        List<Claim> claims = List.of(
                below("DCD student: mean final test FID minus the pixel-L1 baseline student's (" + n + " seeds)", dcd - l1),
                below("CRD student: mean final test FID minus the pixel-L1 baseline student's (" + n + " seeds)", crd - l1),
                Claim.atMost("student MACs / teacher MACs (transposed conv counted by output size)", first.studentMacsRatio(), 0.1),
                Claim.atMost("FID sanity: FID(real test images, themselves)", sanityFid.get(0), 1e-3),
                Claim.atLeast("FID sanity: smallest FID increase along blur r=0,1,2 and noise sigma=0,0.2,0.4 (monotone if > 0)",
                        minIncrease(sanity), 1e-9));
        Map<String, XYChart> extra = new LinkedHashMap<>();
        extra.put("fid_per_epoch", GanRun.fidChart("test FID per epoch, mean of " + n + (n == 1 ? " seed" : " seeds") + " (lower is better)",
                first.epochs(), meanPerEpoch(seedRuns)));
        ReproductionResult r = new ReproductionResult(name(), title(), scale, results, claims, plot(results, scale), extra,
                (System.nanoTime() - began) / 1e9);
        return new Detailed(r, pairs, runs, fid, sanity);
    }

    /** Each generator's FID per epoch, averaged over the seeds (every seed measures the same epochs). */
    static Map<String, List<Double>> meanPerEpoch(List<SeedRun> runs) {
        Map<String, List<Double>> mean = new LinkedHashMap<>();
        for (String arm : runs.get(0).fidPerEpoch().keySet())
            mean.put(arm, java.util.stream.IntStream.range(0, runs.get(0).fidPerEpoch().get(arm).size())
                    .mapToObj(e -> runs.stream().mapToDouble(r -> r.fidPerEpoch().get(arm).get(e)).average().orElse(Double.NaN))
                    .toList());
        return mean;
    }

    /** What one seed's run leaves for the tables, claims and plots: rows, config, final FIDs, FID per epoch, MACs ratio. */
    record SeedRun(List<ResultRow> rows, String configHash, String configJson, Map<String, Double> finalFid,
                   List<Integer> epochs, Map<String, List<Double>> fidPerEpoch, double studentMacsRatio) {

        static SeedRun of(GanRun run, Scale scale, int seed, int epochs) {
            String json = org.slimlab.results.RunConfig.json(run.config());
            String hash = org.slimlab.results.RunConfig.hash(run.config());
            var teacher = run.teacher();
            List<ResultRow> rows = new ArrayList<>();
            Map<String, Double> finals = new LinkedHashMap<>();
            for (String arm : ARMS) {
                var g = run.generator(arm);
                double fin = run.finalFid(arm), best = run.bestFid(arm);
                finals.put(arm, fin);
                String note = "accuracy column = test FID, lower is better";
                rows.add(new ResultRow("gan", arm, seed, scale.label(), fin, g.macs(), g.params(), g.macs() / (double) teacher.macs(),
                        g.params() / (double) teacher.params(), run.seconds(), epochs, hash, RunInfo.now(), note + " (final epoch)"));
                rows.add(new ResultRow("gan", arm + " (best epoch)", seed, scale.label(), best, g.macs(), g.params(),
                        g.macs() / (double) teacher.macs(), g.params() / (double) teacher.params(), run.seconds(), run.bestEpoch(arm), hash,
                        RunInfo.now(), note + "; best epoch " + run.bestEpoch(arm) + " selected ON THE TEST SET (optimistic)"));
            }
            return new SeedRun(rows, hash, json, finals, run.epochs(), run.fidPerEpoch(),
                    run.generator("student-l1").macs() / (double) teacher.macs());
        }
    }

    static double mean(List<SeedRun> runs, String arm) {
        return runs.stream().mapToDouble(r -> r.finalFid().get(arm)).average().orElse(Double.NaN);
    }

    static Claim below(String statement, double diff) { return new Claim(statement, diff, "< 0", diff < 0); }

    /** FID vs MACs: mean final test FID per arm over seeds, and the best-on-test FID as a second marker. */
    static XYChart plot(Results results, Scale scale) {
        XYChart c = Charts.xy("GAN distillation, edges->garments (" + scale.label() + "): test FID vs MACs",
                "MACs (millions, transposed conv by output size)", "test FID (lower is better)");
        c.getStyler().setMarkerSize(11);
        c.getStyler().setXAxisDecimalPattern("#,##0.##");
        Table t = results.table();
        Map<String, double[]> acc = new TreeMap<>();
        for (int i = 0; i < t.rowCount(); i++) {
            double[] a = acc.computeIfAbsent(t.stringColumn("arm").get(i), k -> new double[3]);
            a[0] += t.doubleColumn("accuracy").get(i);
            a[1] += 1;
            a[2] = t.longColumn("macs").get(i) / 1e6;
        }
        // final FID: one coloured circle per generator; best-on-test: black crosses on top (often the same point)
        List<Double> bx = new java.util.ArrayList<>(), by = new java.util.ArrayList<>();
        for (String arm : ARMS) {
            double[] fin = acc.get(arm), best = acc.get(arm + " (best epoch)");
            if (fin == null) continue;
            Charts.points(c, arm + " (final epoch)", List.of(fin[2]), List.of(fin[0] / fin[1])).setMarker(SeriesMarkers.CIRCLE);
            bx.add(best[2]);
            by.add(best[0] / best[1]);
        }
        if (!bx.isEmpty()) {
            var best = Charts.points(c, "best epoch, chosen on test (optimistic)", bx, by);
            best.setMarker(SeriesMarkers.CROSS);
            best.setMarkerColor(java.awt.Color.BLACK);
        }
        return c;
    }

    /** FID of the real test images against degraded copies: identity, box blur r = 1, 2, noise sigma = 0.2, 0.4. */
    public static Table fidSanity(Fid fid, EdgePairs pairs) {
        var real = fid.stats(pairs.testImages());
        StringColumn what = StringColumn.create("degradation");
        DoubleColumn v = DoubleColumn.create("fid");
        what.append("none (real vs real)"); v.append(Fid.distance(real, real));
        for (int r = 1; r <= 2; r++) { what.append("box blur r=" + r); v.append(Fid.distance(real, fid.stats(Degrade.blur(pairs.testImages(), r)))); }
        for (double s : new double[]{0.2, 0.4}) { what.append("noise sigma=" + s); v.append(Fid.distance(real, fid.stats(Degrade.noise(pairs.testImages(), s, 7)))); }
        return Table.create("FID sanity (test images vs degraded copies)", what, v);
    }

    /** Smallest step along none -> blur 1 -> blur 2 and none -> noise 0.2 -> noise 0.4. */
    static double minIncrease(Table sanity) {
        List<Double> f = sanity.doubleColumn("fid").asList();
        return Math.min(Math.min(f.get(1) - f.get(0), f.get(2) - f.get(1)), Math.min(f.get(3) - f.get(0), f.get(4) - f.get(3)));
    }

    /** Ours vs the papers' headline numbers (CycleGAN horse->zebra FID) and our claims. */
    public static Table oursVsPaper(ReproductionResult r) {
        StringColumn claim = StringColumn.create("claim"), paper = StringColumn.create("paper (horse->zebra)"),
                ours = StringColumn.create("ours (" + r.scale().label() + ")"), holds = StringColumn.create("holds");
        Table t = r.table();
        Map<String, Double> fin = new LinkedHashMap<>();
        for (String arm : ARMS) fin.put(arm, t.where(t.stringColumn("arm").isEqualTo(arm)).doubleColumn("accuracy").mean());
        List<Claim> c = r.claimList();
        claim.append("DCD student beats the baseline student (FID)");
        paper.append("DCD 48.24 vs OMGD 51.92"); ours.append(String.format("DCD %.2f vs L1 %.2f", fin.get("student-dcd"), fin.get("student-l1")));
        holds.append(String.valueOf(c.get(0).holds()));
        claim.append("CRD student beats the baseline student (FID)");
        paper.append("CRD 46.61 vs OMGD 51.92"); ours.append(String.format("CRD %.2f vs L1 %.2f", fin.get("student-crd"), fin.get("student-l1")));
        holds.append(String.valueOf(c.get(1).holds()));
        claim.append("teacher FID");
        paper.append("61.53"); ours.append(String.format("%.2f", fin.get("teacher"))); holds.append("-");
        claim.append("student MACs <= 1/10 of the teacher's");
        paper.append(">40x fewer MACs"); ours.append(String.format("%.1fx fewer", 1 / c.get(2).measured())); holds.append(String.valueOf(c.get(2).holds()));
        return Table.create("ours vs paper", claim, paper, ours, holds);
    }
}
