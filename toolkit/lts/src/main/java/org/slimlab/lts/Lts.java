package org.slimlab.lts;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.Batch;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;
import org.slimlab.nn.Model;
import org.slimlab.quant.QuantLayer;
import org.slimlab.quant.Quantization;
import org.slimlab.train.StepContext;
import org.slimlab.train.TrainStep;

import java.util.ArrayList;
import java.util.List;

/**
 * LTS, the lottery ticket scratcher (Zhong et al., "Exploring Lottery Ticket Hypothesis in Few-bit Quantized Neural
 * Networks", arXiv 2211.08544; METHODS.md §4) as a training step for a model quantised with
 * {@link Quantization#quantize}: each iteration runs the usual cross-entropy step (weights by their optimizer,
 * quantiser bounds by theirs), then, per weight, updates the distance EMA {@code d <- (1 - beta)|w_hat - q| + beta d}
 * (reset to one step on a level change) and, after warm-up, freezes every weight with {@code d <= tau_t Delta}.
 * Freezing is permanent: a frozen weight keeps its level (so its effective value never changes, whatever the bounds
 * do), gets no gradient, and its latent value is restored after every update. The same step with freezing off is the
 * plain QAT baseline (it still records when each weight last changed level: the scratch-off curve), and with
 * random freezing at a given per-layer rate it is the control arm.
 * <pre>{@code
 * var q   = Quantization.initBounds(Quantization.quantize(fp, 2), batch);
 * var lts = Lts.scratcher();                                        // warm-up 20%, beta 0.99, linear tau
 * train(q).on(data).epochs(8).sgd(0.01).cosine()
 *     .group("bounds", Quantization.bounds(), Optimizers.adam(1e-3), Schedule.constant())
 *     .step(lts, "lts").fit();
 * lts.log();                                                        // frozen ratio, updates eliminated, backward FLOPs saved
 * }</pre>
 * One instance per run: it keeps the per-weight state of the model it first sees.
 */
public final class Lts implements TrainStep {

    /** What decides which weights freeze. */
    public enum Policy {
        /** no freezing (QAT baseline) */ NONE,
        /** distance EMA below the threshold schedule (LTS) */ THRESHOLD,
        /** random weights, per layer at the rate of a reference run (control) */ RANDOM
    }

    private final Policy policy;
    private final FreezeSchedule schedule;
    private final double warmup, beta;
    private final FreezeLog reference;
    private final long seed;
    private final Objective objective = Losses.crossEntropy();
    private List<LayerTracker> trackers;
    private FreezeLog log;
    private Model model;

    private Lts(Policy policy, FreezeSchedule schedule, double warmup, double beta, FreezeLog reference, long seed) {
        if (warmup < 0 || warmup >= 1) throw new IllegalArgumentException("warm-up must be in [0, 1), got " + warmup);
        if (beta < 0 || beta >= 1) throw new IllegalArgumentException("beta must be in [0, 1), got " + beta);
        if (policy == Policy.RANDOM && reference == null) throw new IllegalArgumentException("random freezing needs a reference log");
        this.policy = policy;
        this.schedule = schedule;
        this.warmup = warmup;
        this.beta = beta;
        this.reference = reference;
        this.seed = seed;
    }

    /** LTS with the defaults of METHODS.md: warm-up 20%, beta 0.99, linear threshold growth. */
    public static Lts scratcher() { return new Lts(Policy.THRESHOLD, FreezeSchedule.LINEAR, 0.2, 0.99, null, 0); }

    /** Plain QAT (no freezing), still tracking level changes for the scratch-off curve. */
    public static Lts baseline() { return new Lts(Policy.NONE, FreezeSchedule.LINEAR, 0.2, 0.99, null, 0); }

    /** Random freezing matching, per layer and iteration, the frozen counts of {@code reference} (an LTS run's log). */
    public static Lts randomFreezing(FreezeLog reference, long seed) {
        return new Lts(Policy.RANDOM, FreezeSchedule.LINEAR, reference.warmup(), 0.99, reference, seed);
    }

    public Lts warmup(double fraction) { return new Lts(policy, schedule, fraction, beta, reference, seed); }
    public Lts beta(double b) { return new Lts(policy, schedule, warmup, b, reference, seed); }
    public Lts schedule(FreezeSchedule s) { return new Lts(policy, s, warmup, beta, reference, seed); }
    public Lts linear() { return schedule(FreezeSchedule.LINEAR); }
    public Lts sine() { return schedule(FreezeSchedule.SINE); }
    public Lts constant() { return schedule(FreezeSchedule.CONSTANT); }

    public Policy policy() { return policy; }
    public FreezeSchedule freezeSchedule() { return schedule; }

    /** A short description for configs: {@code lts(linear, warmup 0.2, beta 0.99)}. */
    public String describe() {
        return switch (policy) {
            case NONE -> "qat (no freezing)";
            case THRESHOLD -> String.format("lts(%s, warmup %s, beta %s)", schedule.label(), warmup, beta);
            case RANDOM -> "random freezing at the reference rate (seed " + seed + ")";
        };
    }

    /** What this run recorded (null before the first step). */
    public FreezeLog log() { return log; }

    @Override
    public StepResult step(StepContext ctx, Batch b) {
        Model m = ctx.model();
        if (model == null) start(m, ctx.totalIterations());
        else if (model != m) throw new IllegalStateException("one Lts instance per run: it already tracks " + model.name());
        long[] before = counts();
        Compiled g = Graphs.train(m, objective);
        StepResult r = ctx.standardStep(g, b);
        for (LayerTracker t : trackers) t.restoreFrozen();
        long it = ctx.iteration();
        double tau = schedule.tau(it / (double) ctx.totalIterations(), warmup);
        for (int l = 0; l < trackers.size(); l++) {
            LayerTracker t = trackers.get(l);
            INDArray level = t.observe(it, beta);
            INDArray add = switch (policy) {
                case NONE -> null;
                case THRESHOLD -> Double.isNaN(tau) ? null : t.thresholdCandidates(tau);
                case RANDOM -> t.randomCandidates(reference.frozenAfter((int) it, l), seed * 31 + l);
            };
            if (add != null) t.freeze(add, level);
        }
        log.record(before, counts());
        if (it == ctx.totalIterations() - 1) finish();
        return r;
    }

    private void start(Model m, long totalIterations) {
        List<QuantLayer> layers = Quantization.layers(m);
        if (layers.isEmpty()) throw new IllegalArgumentException(m.name() + " is not quantised: use Quantization.quantize first");
        model = m;
        trackers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        long[] w = new long[layers.size()], macs = new long[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            QuantLayer l = layers.get(i);
            LayerTracker t = new LayerTracker(l, Quantization.macs(m, l));
            trackers.add(t);
            names.add(l.module().path());
            w[i] = t.count;
            macs[i] = t.macs;
        }
        long trainable = m.trainableParameters().stream().mapToLong(p -> p.value().length()).sum();
        log = new FreezeLog(names, w, macs, trainable, warmup, totalIterations);
    }

    /** Closes the log with each weight's last level change (called after the last iteration; safe to call again). */
    public FreezeLog finish() {
        if (trackers == null) throw new IllegalStateException("no step has run yet");
        List<double[]> parts = new ArrayList<>();
        int n = 0;
        for (LayerTracker t : trackers) { double[] d = t.lastChanges(); parts.add(d); n += d.length; }
        double[] all = new double[n];
        int k = 0;
        for (double[] d : parts) { System.arraycopy(d, 0, all, k, d.length); k += d.length; }
        log.finish(all);
        return log;
    }

    private long[] counts() {
        long[] c = new long[trackers.size()];
        for (int i = 0; i < c.length; i++) c[i] = trackers.get(i).frozenCount;
        return c;
    }
}
