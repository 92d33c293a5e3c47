package org.slimlab.gkt;

import org.slimlab.data.Augmentation;
import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import org.slimlab.distill.DepthSubnets;
import org.slimlab.distill.StimulativeTraining;
import org.slimlab.distill.StochasticDepth;
import org.slimlab.distill.Subnet;
import org.slimlab.distill.SubnetEvaluation;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
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
import java.util.function.DoubleSupplier;

/**
 * GKT's small-scale reproduction (METHODS.md §3; Wang et al., "Group Knowledge Based Training of Residual
 * Networks", AAAI 2024, arXiv 2308.13772): a CIFAR-style ResNet (3 stages x 3 basic blocks, 8/16/32 channels) on
 * Fashion-MNIST trained four ways with the same data, epochs, seeds, augmentation and initialisation: common
 * training, stochastic depth (linear survival 1 -> 0.8, evaluated with the test-time branch scaling), Stimulative
 * Training (uniform prefix subnets) and GKT. ST and GKT make the same number of subnet passes per iteration.
 * The full network and all 27 prefix depth subnets of every arm are evaluated with BN recalibrated on the same 512
 * training images (at smoke scale three of them, on 128). Results rows are named {@code <arm>@<stage depths>}, so each arm is one line of subnet accuracy
 * against subnet MACs.
 */
public final class GktReproduction implements Reproduction {

    static final String[] ARMS = {"common", "stochastic-depth", "st", "gkt"};
    static final int[] WIDTHS = {8, 16, 32};
    /** SGD momentum 0.9, weight decay 5e-4, cosine; batch 128. */
    static final double LR = 0.05;

    /**
     * Sizes per scale: training/test images, epochs, subnet passes per iteration (ST and GKT), calibration images,
     * and whether all 27 prefix subnets are evaluated (smoke evaluates depths 1-1-1, 2-2-2 and 3-3-3 only).
     */
    record Budget(int trainImages, int testImages, int epochs, int subnets, int calibration, boolean allSubnets) {
        List<int[]> evaluated(DepthSubnets space) {
            return allSubnets ? space.allPrefixDepths() : List.of(new int[]{1, 1, 1}, new int[]{2, 2, 2}, new int[]{3, 3, 3});
        }
    }

    static Budget budget(Scale s) {
        return switch (s) {
            case SMOKE -> new Budget(256, 200, 1, 2, 128, false);
            case QUICK -> new Budget(1500, 500, 2, 2, 512, true);
            case FULL -> new Budget(8_000, 10_000, 5, 2, 512, true);
        };
    }

    @Override
    public String name() { return "gkt"; }

    @Override
    public String title() {
        return "GKT: group knowledge based training of residual networks (Wang et al., AAAI 2024, arXiv 2308.13772)";
    }

    @Override
    public ReproductionResult run(Scale scale, int seeds) { return run(scale, seeds, RunMemo.none()); }

    @Override
    public ReproductionResult run(Scale scale, int seeds, RunMemo memo) {
        long began = System.nanoTime();
        Budget b = budget(scale);
        ImageData data = FashionMnist.load().subset(b.trainImages(), b.testImages()).augment(Augmentation.flipCrop(2));
        Results results = Results.create();
        Map<String, List<Double>> fullAcc = new LinkedHashMap<>(), meanSubnetAcc = new LinkedHashMap<>();
        Map<String, List<Double>> sampledDepth = new LinkedHashMap<>();
        for (int seed = 1; seed <= seeds; seed++) {
            for (String arm : ARMS) {
                int s = seed;
                ArmRun r = memo.get(RunMemo.key(name(), scale.label(), arm, "seed" + seed, b), ArmRun.class,
                        () -> trainAndEvaluate(arm, data, b, scale, s));
                results.config(r.configHash(), r.configJson());
                r.rows().forEach(results::add);
                fullAcc.computeIfAbsent(arm, k -> new ArrayList<>()).add(r.fullAccuracy());
                meanSubnetAcc.computeIfAbsent(arm, k -> new ArrayList<>()).add(r.meanSubnetAccuracy());
                if (r.meanSampledDepth() != null) sampledDepth.computeIfAbsent(arm, k -> new ArrayList<>()).add(r.meanSampledDepth());
            }
        }
        double ct = mean(meanSubnetAcc.get("common")), deeper = mean(sampledDepth.get("gkt")) - mean(sampledDepth.get("st"));
        List<Claim> claims = List.of(
                Claim.atLeast("(1) mean accuracy of the evaluated depth subnets: min(ST, GKT) - common training (strong claim: >= 5 pts)",
                        Math.min(mean(meanSubnetAcc.get("st")), mean(meanSubnetAcc.get("gkt"))) - ct, 0.05),
                Claim.atLeast("(2a) full-net accuracy GKT - ST, mean over seeds (soft claim)", mean(fullAcc.get("gkt")) - mean(fullAcc.get("st")), 0),
                Claim.atLeast("(2b) full-net accuracy ST - common training, mean over seeds (soft claim)", mean(fullAcc.get("st")) - mean(fullAcc.get("common")), 0),
                new Claim("(3) mean sampled depth (residual blocks run) GKT - ST", deeper, "> 0", deeper > 0));
        return new ReproductionResult(name(), title(), scale, results, claims,
                results.plotAccuracyVsMacs("GKT: depth-subnet accuracy vs MACs, ResNet-20 (8/16/32) on Fashion-MNIST (" + scale.label() + ")"),
                Map.of(), (System.nanoTime() - began) / 1e9);
    }

    /** What one arm at one seed produced: its rows (one per evaluated depth subnet) and the numbers the claims need. */
    record ArmRun(List<ResultRow> rows, String configHash, String configJson, double fullAccuracy, double meanSubnetAccuracy,
                  Double meanSampledDepth) {}

    /** Trains {@code arm} from the seed's initial weights, then evaluates the budget's depth subnets, BN recalibrated. */
    ArmRun trainAndEvaluate(String arm, ImageData data, Budget b, Scale scale, int seed) {
        Model net = Models.cifarResnet(20, WIDTHS, 1, 28, 10, seed).named("resnet20-8-16-32");
        long dense = net.macs(), params = net.params();
        Arm a = arm(arm, net, b, seed);
        Trainer t = Trainer.of(net).on(data).epochs(b.epochs()).batch(128).sgd(LR).cosine().seed(seed).name("gkt/" + arm + " seed " + seed);
        Run run = (a.step() == null ? t : t.step(a.step(), a.description())).fit();
        Model evaluated = a.step() instanceof StochasticDepth sd ? sd.deploy(run.model()) : run.model();
        List<int[]> depths = b.evaluated(DepthSubnets.of(evaluated));
        List<SubnetEvaluation.Entry> subnets = SubnetEvaluation.of(evaluated, data.train(), b.calibration())
                .prefixes(depths, data.test(), "gkt/" + arm + " seed " + seed + ": " + depths.size() + " depth subnets");
        List<ResultRow> rows = new ArrayList<>();
        for (SubnetEvaluation.Entry e : subnets) {
            rows.add(new ResultRow(name(), arm + "@" + e.name(), seed, scale.label(), e.accuracy(), e.macs(), params,
                    e.macs() / (double) dense, 1.0, run.seconds(), b.epochs(), run.configHash(), RunInfo.now(),
                    e.depth() + " blocks; " + a.description()));
        }
        return new ArmRun(rows, run.configHash(), run.configJson(), subnets.get(subnets.size() - 1).accuracy(),
                subnets.stream().mapToDouble(SubnetEvaluation.Entry::accuracy).average().orElse(Double.NaN),
                a.meanDepth() == null ? null : a.meanDepth().getAsDouble());
    }

    /** An arm's training step (null: the trainer's plain cross-entropy step), its description, its mean sampled depth (or null). */
    record Arm(TrainStep step, String description, DoubleSupplier meanDepth) {}

    static Arm arm(String arm, Model net, Budget b, long seed) {
        DepthSubnets space = DepthSubnets.of(net);
        return switch (arm) {
            case "common" -> new Arm(null, "common training", null);
            case "stochastic-depth" -> {
                StochasticDepth sd = StochasticDepth.on(net).lastSurvival(0.8).seed(seed);
                yield new Arm(sd, sd.describe(), null);
            }
            case "st" -> {
                DepthTally tally = new DepthTally();
                StimulativeTraining st = StimulativeTraining.sampling(rng -> tally.record(space, space.randomPrefix(rng)))
                        .subnets(b.subnets()).lambda(1).seed(seed);
                yield new Arm(st, "stimulative training (uniform prefix subnets, " + b.subnets() + " per iteration, lambda 1)", tally::mean);
            }
            case "gkt" -> {
                GroupKnowledgeTraining g = GroupKnowledgeTraining.on(net).subnets(b.subnets()).levels(2).dropProbability(0.2)
                        .lambda(1).momentum(0.9).seed(seed);
                yield new Arm(g, g.describe(), g::meanSampledDepth);
            }
            default -> throw new IllegalArgumentException("unknown arm " + arm);
        };
    }

    /** Counts the depth of the subnets a sampler hands out. */
    static final class DepthTally {
        private long total, count;
        Subnet record(DepthSubnets space, Subnet s) {
            total += space.depth(s);
            count++;
            return s;
        }
        double mean() { return count == 0 ? Double.NaN : total / (double) count; }
    }

    /** The claims next to what the paper says (GKT's claims are qualitative; the numbers are ours). */
    public static Table oursVsPaper(ReproductionResult r) {
        String[] paper = {
                "ST and GKT subnets are far more accurate than under common training (subnets do not 'loaf')",
                "GKT's full network beats ST's, which beats common training",
                "(same claim, second half)",
                "GKT favours large subnets (inheriting exponential decay): deeper sampled subnets than ST"};
        StringColumn claim = StringColumn.create("claim"), says = StringColumn.create("paper says"),
                ours = StringColumn.create("ours (measured)"), holds = StringColumn.create("holds");
        List<Claim> cs = r.claimList();
        for (int i = 0; i < cs.size(); i++) {
            claim.append(cs.get(i).statement());
            says.append(i < paper.length ? paper[i] : "");
            ours.append(String.format("%+.4f (threshold %s)", cs.get(i).measured(), cs.get(i).threshold()));
            holds.append(cs.get(i).holds() ? "yes" : "NO");
        }
        return Table.create("GKT: ours vs paper (" + r.scale().label() + ")", claim, says, ours, holds);
    }

    static double mean(List<Double> v) { return v == null ? Double.NaN : v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN); }
}
