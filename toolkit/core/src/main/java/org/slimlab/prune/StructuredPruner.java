package org.slimlab.prune;

import org.slimlab.nn.Model;

import java.util.List;
import java.util.function.Function;

/**
 * Channel pruning to a MACs budget with a per-group importance score: every prunable group keeps the same
 * fraction f of its channels (at least one), the channels with the highest scores; f is found by bisection so the
 * sliced model's MACs are at most {@code target} times the dense model's. L1-norm filter pruning (Li et al. 2017)
 * and random pruning are its two criteria.
 */
public final class StructuredPruner {

    /** A pruning decision with the sliced model and its achieved MACs ratio. */
    public record Result(PruningPlan plan, Model pruned, double macsRatio, double keepFraction) {}

    private StructuredPruner() {}

    /** L1-norm filter pruning of {@code model} to {@code targetMacsRatio} (e.g. 0.5 keeps half the MACs). */
    public static Result l1(Model model, double targetMacsRatio) {
        return toMacs(model, targetMacsRatio, (g, k) -> Importance.topK(Importance.l1(g), k));
    }

    /** Random channel choice (seeded) at the same per-group widths as L1 pruning would use. */
    public static Result random(Model model, double targetMacsRatio, long seed) {
        return toMacs(model, targetMacsRatio, (g, k) -> Importance.random(g.channels(), k, seed * 131 + g.id()));
    }

    /** How a group chooses which {@code k} channels to keep. */
    @FunctionalInterface
    public interface Chooser { int[] keep(ChannelGroup g, int k); }

    /** The general form: uniform keep fraction by bisection, channels chosen by {@code chooser}. */
    public static Result toMacs(Model model, double target, Chooser chooser) {
        if (target <= 0 || target > 1) throw new IllegalArgumentException("target MACs ratio must be in (0, 1], got " + target);
        List<ChannelGroup> groups = ChannelGroups.of(model);
        long dense = model.macs();
        Function<Double, PruningPlan> planAt = f -> {
            PruningPlan p = new PruningPlan();
            for (ChannelGroup g : groups) p.keep(g, chooser.keep(g, Math.max(1, (int) Math.round(f * g.channels()))));
            return p;
        };
        double lo = 0, hi = 1;
        Model best = null;
        PruningPlan bestPlan = null;
        for (int it = 0; it < 30 && hi - lo > 1e-4; it++) {
            double mid = (lo + hi) / 2;
            PruningPlan p = planAt.apply(mid);
            Model m = Slicer.slice(model, p);
            if (m.macs() <= target * dense) { lo = mid; best = m; bestPlan = p; }
            else hi = mid;
        }
        if (best == null) {
            bestPlan = planAt.apply(0.0);
            best = Slicer.slice(model, bestPlan);
        }
        return new Result(bestPlan, best, best.macs() / (double) dense, lo);
    }
}
