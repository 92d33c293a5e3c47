package org.slimlab.smmix;

import org.knowm.xchart.XYChart;
import org.slimlab.data.Augmentation;
import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import org.slimlab.mix.CutMix;
import org.slimlab.mix.Mixing;
import org.slimlab.mix.MixingStep;
import org.slimlab.mix.Mixup;
import org.slimlab.nn.Model;
import org.slimlab.nn.VisionTransformers;
import org.slimlab.plot.Charts;
import org.slimlab.repro.Claim;
import org.slimlab.repro.Reproduction;
import org.slimlab.repro.RunMemo;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.Scale;
import org.slimlab.results.ResultRow;
import org.slimlab.results.Results;
import org.slimlab.results.RunInfo;
import org.slimlab.train.Run;
import org.slimlab.train.TrainStep;
import org.slimlab.train.Trainer;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The small-scale reproduction of SMMix (Chen et al., "SMMix: Self-Motivated Image Mixing for Vision Transformers",
 * ICCV 2023, arXiv 2212.12977; METHODS.md §5): a tiny ViT (patch 4 on 28x28: 7x7 tokens + CLS) on Fashion-MNIST,
 * trained with AdamW, cosine schedule and warm-up, label smoothing 0.1 in every arm, with the arms
 * <ul>
 *   <li>{@code no-mixing} (label smoothing only), {@code mixup-cutmix} (DeiT's default: Mixup or CutMix with p 0.5),</li>
 *   <li>{@code mixup-smmix} (SMMix replacing CutMix), {@code smmix-no-fine} and {@code smmix-no-con} (ablations).</li>
 * </ul>
 * Claims: SMMix >= CutMix (mean over seeds, spread reported) and SMMix's epoch time <= 1.3x CutMix's.
 */
public final class SMMixReproduction implements Reproduction {

    public static final String NONE = "no-mixing", CUTMIX = "mixup-cutmix", SMMIX = "mixup-smmix",
            NO_FINE = "smmix-no-fine", NO_CON = "smmix-no-con";
    public static final List<String> ARMS = List.of(NONE, CUTMIX, SMMIX, NO_FINE, NO_CON);

    /** Sizes per scale: images, epochs, batch, the ViT (dim, depth, heads), learning rate. */
    record Budget(int trainImages, int testImages, int epochs, int batch, int dim, int depth, int heads, double lr) {}

    static Budget budget(Scale s) {
        return switch (s) {
            case SMOKE -> new Budget(128, 100, 1, 64, 16, 1, 2, 1e-3);
            // quick: 10 steps per epoch; SameDiff's per-op overhead dominates a ViT this small (~1 s per step on 2 cores)
            case QUICK -> new Budget(1280, 1000, 4, 128, 32, 2, 2, 2e-3);
            // full: ~400 steps per arm, within METHODS.md's ~15 minutes per arm on 2 cores
            case FULL -> new Budget(10000, 10000, 5, 128, 64, 3, 4, 2e-3);
        };
    }

    @Override
    public String name() { return "smmix"; }

    @Override
    public String title() { return "SMMix: self-motivated image mixing for vision transformers (arXiv 2212.12977)"; }

    /** The ViT every arm trains (same seed, same initial weights; the token head is used by SMMix's L_fine only). */
    public static Model model(Scale scale, long seed) {
        Budget b = budget(scale);
        return VisionTransformers.tiny(1, 28, 4, b.dim(), b.depth(), b.heads(), 2, 10, seed, true);
    }

    /** The training step of an arm for {@code model}. */
    public static TrainStep step(String arm, Model model, long seed) {
        return switch (arm) {
            case NONE -> MixingStep.of(Mixing.none(0.1), seed);
            case CUTMIX -> MixingStep.of(Mixing.either(0.5, Mixup.of(0.8), CutMix.of(1.0)), seed);
            case SMMIX -> SMMix.of(model).seed(seed);
            case NO_FINE -> SMMix.of(model).weights(0, 1).seed(seed);
            case NO_CON -> SMMix.of(model).weights(1, 0).seed(seed);
            default -> throw new IllegalArgumentException("unknown arm '" + arm + "'; arms: " + ARMS);
        };
    }

    @Override
    public ReproductionResult run(Scale scale, int seeds) { return run(scale, seeds, RunMemo.none()); }

    @Override
    public ReproductionResult run(Scale scale, int seeds, RunMemo memo) {
        if (seeds < 1) throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        long began = System.nanoTime();
        Budget b = budget(scale);
        ImageData data = FashionMnist.load().subset(b.trainImages(), b.testImages()).augment(Augmentation.flipCrop(2));
        Results results = Results.create();
        Map<String, List<Double>> acc = new LinkedHashMap<>(), epochTime = new LinkedHashMap<>(), epochWall = new LinkedHashMap<>();
        for (int seed = 1; seed <= seeds; seed++) {
            for (String arm : ARMS) {
                int s = seed;
                ArmRun r = memo.get(RunMemo.key(name(), scale.label(), arm, "seed" + seed, b), ArmRun.class,
                        () -> train(arm, data, b, scale, s));
                results.config(r.row().configHash(), r.configJson());
                results.add(r.row());
                acc.computeIfAbsent(arm, k -> new ArrayList<>()).add(r.row().accuracy());
                epochTime.computeIfAbsent(arm, k -> new ArrayList<>()).add(r.epochCpuSeconds());
                epochWall.computeIfAbsent(arm, k -> new ArrayList<>()).add(r.epochWallSeconds());
            }
        }
        double smmix = mean(acc.get(SMMIX)), cutmix = mean(acc.get(CUTMIX));
        List<Claim> claims = List.of(
                Claim.atLeast(String.format("Mixup/SMMix >= Mixup/CutMix: mean top-1 difference over %d seed(s) (SMMix %.4f +- %.4f, CutMix %.4f +- %.4f)",
                        seeds, smmix, std(acc.get(SMMIX)), cutmix, std(acc.get(CUTMIX))), smmix - cutmix, 0.0),
                Claim.atMost(String.format("SMMix epoch time <= 1.3x CutMix's: ratio of training-step CPU seconds per epoch, "
                                + "Mixup/SMMix vs Mixup/CutMix (wall-clock ratio %.2f)", mean(epochWall.get(SMMIX)) / mean(epochWall.get(CUTMIX))),
                        mean(epochTime.get(SMMIX)) / mean(epochTime.get(CUTMIX)), 1.3));
        Map<String, XYChart> extra = new LinkedHashMap<>();
        extra.put("epoch_time", epochTimeChart(epochTime, scale));
        return new ReproductionResult(name(), title(), scale, results, claims,
                results.plotAccuracyVsMacs("SMMix on Fashion-MNIST, tiny ViT (" + scale.label() + ")"), extra,
                (System.nanoTime() - began) / 1e9);
    }

    /** One arm at one seed: its result row, config, and training-step seconds per epoch after the first (CPU and wall). */
    record ArmRun(ResultRow row, String configJson, double epochCpuSeconds, double epochWallSeconds) {}

    ArmRun train(String arm, ImageData data, Budget b, Scale scale, int seed) {
        Model m = model(scale, seed).named("vit/" + arm);
        TimedStep step = new TimedStep(step(arm, m, seed));
        Run run = Trainer.of(m).on(data).epochs(b.epochs()).batch(b.batch()).adamw(b.lr(), 0.05).cosine().warmup(0.1)
                .seed(seed).name("smmix " + arm + " seed " + seed).evalEvery(b.epochs()).step(step, arm).fit();
        ResultRow row = new ResultRow(name(), arm, seed, scale.label(), run.testAccuracy(), m.macs(), m.params(), 1.0, 1.0,
                run.seconds(), b.epochs(), run.configHash(), RunInfo.now(),
                String.format("training steps per epoch after the first: %.2f s wall, %.2f s CPU", step.steadyEpochSeconds(),
                        step.steadyEpochCpuSeconds()));
        return new ArmRun(row, run.configJson(), step.steadyEpochCpuSeconds(), step.steadyEpochSeconds());
    }

    private static XYChart epochTimeChart(Map<String, List<Double>> epochTime, Scale scale) {
        XYChart c = Charts.xy("training-step CPU seconds per epoch (" + scale.label() + ")", "arm (in table order)", "CPU seconds per epoch");
        int i = 0;
        for (Map.Entry<String, List<Double>> e : epochTime.entrySet()) {
            i++;
            List<Integer> x = new ArrayList<>();
            for (int j = 0; j < e.getValue().size(); j++) x.add(i);
            Charts.points(c, e.getKey(), x, e.getValue());
        }
        return c;
    }

    /** The paper's claims next to ours, for the notebook and the results page. */
    public static Table oursVsPaper(ReproductionResult r) {
        Table s = r.results().summary();
        Function<String, Double> mean = arm -> {
            for (int i = 0; i < s.rowCount(); i++)
                if (s.stringColumn("arm").get(i).equals(arm)) return s.doubleColumn("Mean [accuracy]").get(i);
            return Double.NaN;
        };
        StringColumn what = StringColumn.create("claim"), paper = StringColumn.create("paper"), ours = StringColumn.create("ours");
        what.append("top-1: Mixup/CutMix -> Mixup/SMMix");
        paper.append("DeiT-T 72.2 -> 73.6 (+1.4), DeiT-S 79.8 -> 81.1 (+1.3) on ImageNet");
        ours.append(String.format("%.2f -> %.2f (%+.2f), tiny ViT on Fashion-MNIST (%s)", 100 * mean.apply(CUTMIX),
                100 * mean.apply(SMMIX), 100 * (mean.apply(SMMIX) - mean.apply(CUTMIX)), r.scale().label()));
        what.append("ablation: without L_fine / without L_con");
        paper.append("each loss adds accuracy");
        ours.append(String.format("%.2f / %.2f (full SMMix %.2f)", 100 * mean.apply(NO_FINE), 100 * mean.apply(NO_CON), 100 * mean.apply(SMMIX)));
        what.append("no mixing (label smoothing only)");
        paper.append("-");
        ours.append(String.format("%.2f", 100 * mean.apply(NONE)));
        Claim time = r.claimList().get(1);
        what.append("training cost vs CutMix");
        paper.append("small overhead (one extra forward without gradient on SMMix batches); our threshold <= 1.3x");
        ours.append(String.format("%.2fx (%s)", time.measured(), time.holds() ? "holds" : "does not hold"));
        return Table.create("SMMix: ours vs paper", what, paper, ours);
    }

    static double mean(List<Double> v) { return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN); }

    static double std(List<Double> v) {
        if (v.size() < 2) return 0;
        double m = mean(v);
        return Math.sqrt(v.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (v.size() - 1));
    }
}
