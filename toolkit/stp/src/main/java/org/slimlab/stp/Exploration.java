package org.slimlab.stp;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.Batch;
import org.slimlab.distill.Subnet;
import org.slimlab.distill.SubnetKd;
import org.slimlab.graph.Compiled;
import org.slimlab.train.StepContext;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * KD-guided architecture exploration of STP (arXiv 2403.06417, section "KD-guided exploration"): start from the full
 * architecture; each round, every one-chunk (width) or one-block (depth) shrink of the current architecture is a
 * candidate, taken in random order; the candidate's KL to the full net's (detached) prediction is averaged, and the
 * candidate with the LOWEST KL is committed; rounds repeat until the MACs ratio is at most the smallest target.
 * Each step also distils a random "expanded" mutant of the current architecture ({@link SupernetSpace#mutant}),
 * subnet mutating expansion. After the last target is reached, steps keep distilling the found architectures
 * (one per step, at random) and mutants until the training budget ends.
 * <p>{@code candidateSteps >= 1}: each candidate is trained as the ST subnet for that many steps and its KL averaged
 * over them (the paper's procedure). {@code candidateSteps == 0} (cheap mode for small budgets): a round scores all
 * candidates forward-only on the step's batch (same data for every candidate) and commits at once; the rounds are
 * spread over the exploration budget so that even the worst case (down to the smallest architecture) fits, and
 * every step trains the committed architecture as the ST subnet.
 */
final class Exploration {

    /** One committed move. */
    record Round(int round, long step, String move, double kl, int candidates, double macsRatio) {}

    private final SupernetSpace space;
    private final double[] targets;   // descending
    private final int candidateSteps;
    private final Random rng;
    private Architecture current;
    private final Map<Double, Architecture> found = new LinkedHashMap<>();
    private final List<Round> rounds = new ArrayList<>();
    // round state
    private List<SupernetSpace.Move> queue;
    private final List<Double> scores = new ArrayList<>();
    private int at, stepsOnCandidate;
    private double klSum;
    private long steps, budgetSteps = -1, worstRounds;

    Exploration(SupernetSpace space, double[] targets, int candidateSteps, long seed) {
        if (candidateSteps < 0) throw new IllegalArgumentException("candidate steps must be >= 0, got " + candidateSteps);
        this.space = space;
        this.targets = targets.clone();
        java.util.Arrays.sort(this.targets);
        for (int i = 0, j = this.targets.length - 1; i < j; i++, j--) { double t = this.targets[i]; this.targets[i] = this.targets[j]; this.targets[j] = t; }
        for (double t : targets) if (t <= 0 || t > 1) throw new IllegalArgumentException("MACs targets must be in (0, 1], got " + t);
        this.candidateSteps = candidateSteps;
        this.rng = new Random(seed);
        this.current = space.full();
        recordReached();
    }

    boolean done() { return found.size() == targets.length; }

    Architecture current() { return current; }

    /** The architecture found for each target (those reached so far). */
    Map<Double, Architecture> found() { return Collections.unmodifiableMap(found); }

    List<Round> rounds() { return List.copyOf(rounds); }

    /**
     * The exploration's share of one training step (the main net's pass is done; {@code kd} targets its logits):
     * distils the candidate or the committed architecture and a mutant into {@code pass}.
     */
    double step(StepContext ctx, Batch b, SubnetKd kd, StpStep.Distiller pass) {
        double loss = 0;
        steps++;
        if (done()) {
            List<Architecture> archs = new ArrayList<>(found.values());
            loss += pass.distil(archs.get(rng.nextInt(archs.size())));
            return loss + pass.distil(space.mutant(current, rng));
        }
        if (candidateSteps == 0) {
            if (budgetSteps < 0) {   // first exploration step: spread the worst-case number of rounds over the budget
                budgetSteps = Math.max(1, ctx.totalIterations() - ctx.iteration());
                worstRounds = maxRounds(current);
            }
            long i = steps - 1;
            long due = worstRounds * (i + 1) / budgetSteps - worstRounds * i / budgetSteps;
            for (long k = 0; k < due && !done(); k++) {
                startRound();
                for (SupernetSpace.Move m : queue) scores.add(scoreForwardOnly(ctx, m.result(), b, kd));
                commit();
            }
            loss += pass.distil(current);
        } else {
            if (queue == null) startRound();
            SupernetSpace.Move m = queue.get(at);
            double l = pass.distil(m.result());
            loss += l;
            klSum += l / kd.weight();
            if (++stepsOnCandidate == candidateSteps) {
                scores.add(klSum / candidateSteps);
                klSum = 0;
                stepsOnCandidate = 0;
                if (++at == queue.size()) commit();
            }
        }
        return loss + pass.distil(space.mutant(current, rng));
    }

    /** Moves from {@code a} down to the smallest architecture: an upper bound on the rounds left. */
    private long maxRounds(Architecture a) {
        Architecture small = space.smallest();
        long n = 0;
        for (int g = 0; g < space.groups().size(); g++)
            n += java.util.Arrays.binarySearch(space.widthChoices(g), a.width(g)) - java.util.Arrays.binarySearch(space.widthChoices(g), small.width(g));
        for (int st = 0; st < space.stageCount(); st++) n += a.depth(st) - small.depth(st);
        return Math.max(1, n);
    }

    private void startRound() {
        queue = new ArrayList<>(space.shrinkMoves(current));
        Collections.shuffle(queue, rng);
        scores.clear();
        at = 0;
        if (queue.isEmpty())
            throw new IllegalStateException("the smallest architecture (" + current + ", MACs ratio "
                    + String.format("%.3f", space.macsRatio(current)) + ") is above the target " + targets[targets.length - 1]);
    }

    private double scoreForwardOnly(StepContext ctx, Architecture a, Batch b, SubnetKd kd) {
        Subnet s = space.subnet(a);
        Compiled g = s.trainGraph(space.model(), kd);
        Map<String, INDArray> out = g.outputs(b.x(), b.y(), Compiled.LOSS);
        double kl = out.get(Compiled.LOSS).getDouble(0) / kd.weight();
        ctx.releaseAfterStep(out.values());
        ctx.releaseAfterStep(g.stepIntermediates());
        return kl;
    }

    private void commit() {
        int best = 0;
        for (int i = 1; i < scores.size(); i++) if (scores.get(i) < scores.get(best)) best = i;
        SupernetSpace.Move m = queue.get(best);
        current = m.result();
        rounds.add(new Round(rounds.size() + 1, steps, space.label(m), scores.get(best), queue.size(), space.macsRatio(current)));
        queue = null;
        recordReached();
    }

    private void recordReached() {
        double ratio = space.macsRatio(current);
        for (double t : targets) if (ratio <= t && !found.containsKey(t)) found.put(t, current);
    }

    /** round, exploration step, committed move, its KL, candidates, MACs ratio after the move. */
    Table table() {
        IntColumn r = IntColumn.create("round");
        LongColumn it = LongColumn.create("step");
        StringColumn mv = StringColumn.create("committed");
        DoubleColumn kl = DoubleColumn.create("kl"), ratio = DoubleColumn.create("macs_ratio");
        IntColumn c = IntColumn.create("candidates");
        for (Round x : rounds) { r.append(x.round()); it.append(x.step()); mv.append(x.move()); kl.append(x.kl()); c.append(x.candidates()); ratio.append(x.macsRatio()); }
        return Table.create("STP exploration", r, it, mv, kl, c, ratio);
    }
}
