package org.slimlab.distill;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.Batch;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;
import org.slimlab.nn.BatchNorm2d;
import org.slimlab.nn.Model;
import org.slimlab.nn.Param;
import org.slimlab.train.StepContext;
import org.slimlab.train.TrainStep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Stimulative Training (Ye et al., "Stimulative Training of Residual Networks: A Social Psychology Perspective of
 * Loafing", NeurIPS 2022, arXiv 2210.04153), the training step STP (arXiv 2403.06417) and GKT's baseline
 * (arXiv 2308.13772) build on: each iteration minimises {@code CE(f(x), y)} on the main net plus, for each
 * sampled subnet, {@code lambda KL(sg[softmax(f(x))] || softmax(f_sub(x)))}; both reach the shared weights, one
 * optimizer update per iteration. BN running statistics are folded from the main net's pass only (subnets are
 * recalibrated before evaluation).
 * <pre>{@code
 * var space = DepthSubnets.of(net);
 * var st = StimulativeTraining.sampling(space::randomPrefix).subnets(1).lambda(1);
 * train(net).on(data).epochs(5).step(st, "stimulative training").fit();
 * }</pre>
 */
public final class StimulativeTraining implements TrainStep {

    /** Draws the subnet to distil into at this iteration (may depend on training progress). */
    @FunctionalInterface
    public interface Sampler {
        Subnet sample(Random rng, StepContext ctx);
    }

    private final Sampler sampler;
    private final int subnets;
    private final double lambda;
    private final long seed;
    private final Objective ce = Losses.crossEntropy();
    private final SubnetKd kd;
    private Random rng;
    /** Subnets sampled in the last iteration (for diagnostics such as mean sampled depth). */
    private final List<Subnet> lastSampled = new ArrayList<>();

    private StimulativeTraining(Sampler sampler, int subnets, double lambda, long seed) {
        if (subnets < 0) throw new IllegalArgumentException("subnets per step must be >= 0, got " + subnets);
        this.sampler = sampler;
        this.subnets = subnets;
        this.lambda = lambda;
        this.seed = seed;
        this.kd = SubnetKd.of(lambda);
    }

    /** ST with a uniform random subnet from {@code sampler}, one subnet per step, lambda 1. */
    public static StimulativeTraining sampling(Sampler sampler) { return new StimulativeTraining(sampler, 1, 1, 0); }

    /** ST with a sampler that ignores the training context. */
    public static StimulativeTraining sampling(java.util.function.Function<Random, Subnet> sampler) {
        return sampling((rng, ctx) -> sampler.apply(rng));
    }

    /** Subnets distilled per iteration (the authors' default is 5). */
    public StimulativeTraining subnets(int n) { return new StimulativeTraining(sampler, n, lambda, seed); }

    /** Weight of each subnet's KL term. */
    public StimulativeTraining lambda(double l) { return new StimulativeTraining(sampler, subnets, l, seed); }

    /** Seed of the subnet sampling (independent of the data order). */
    public StimulativeTraining seed(long s) { return new StimulativeTraining(sampler, subnets, lambda, s); }

    public List<Subnet> lastSampled() { return List.copyOf(lastSampled); }

    @Override
    public StepResult step(StepContext ctx, Batch b) {
        if (rng == null) rng = new Random(seed);
        Model model = ctx.model();
        Map<Param, INDArray> grads = new HashMap<>();
        Compiled.Result r = mainPass(ctx, b, ce, grads);
        INDArray target = r.logits().dup();
        double loss = r.loss();
        lastSampled.clear();
        for (int i = 0; i < subnets; i++) {
            Subnet s = sampler.sample(rng, ctx);
            lastSampled.add(s);
            loss += distil(ctx, model, s, b, kd.target(target), grads);
        }
        ctx.update(grads);
        ctx.releaseAfterStep(grads.values());
        ctx.releaseAfterStep(List.of(target));
        return new StepResult(loss, r.logits());
    }

    /**
     * The main net's pass of an ST-style iteration: its gradients go into {@code grads}, its BN batch statistics
     * are folded into the running ones (subnets fold none), its outputs are released when the step ends.
     */
    public static Compiled.Result mainPass(StepContext ctx, Batch b, Objective objective, Map<Param, INDArray> grads) {
        Compiled main = Graphs.train(ctx.model(), objective);
        Compiled.Result r = main.run(b.x(), b.y(), ctx.trainable(), List.of());
        ctx.checkFinite(r.loss());
        main.foldBatchStats(r.outputs(), b.size(), BatchNorm2d.MOMENTUM);
        grads.putAll(r.grads());
        ctx.releaseAfterStep(r.outputs().values());
        ctx.releaseAfterStep(main.stepIntermediates());
        return r;
    }

    /**
     * One subnet pass toward the objective's current target: adds the subnet's gradients into {@code grads}
     * (summing with what is there), returns its loss. Used by ST here and by methods that distil several subnets
     * toward different targets (GKT's group knowledge, STP's exploration).
     */
    public static double distil(StepContext ctx, Model model, Subnet s, Batch b, SubnetKd objective, Map<Param, INDArray> grads) {
        return distilWithLogits(ctx, model, s, b, objective, grads).loss();
    }

    /** As {@link #distil}, also returning the subnet's logits (released when the step ends). */
    public static Compiled.Result distilWithLogits(StepContext ctx, Model model, Subnet s, Batch b, SubnetKd objective,
                                                   Map<Param, INDArray> grads) {
        Compiled g = s.trainGraph(model, objective);
        Compiled.Result r = g.run(b.x(), b.y(), ctx.trainable(), List.of());
        ctx.checkFinite(r.loss());
        for (Map.Entry<Param, INDArray> e : r.grads().entrySet()) {
            INDArray prev = grads.get(e.getKey());
            if (prev == null) grads.put(e.getKey(), e.getValue());
            else { prev.addi(e.getValue()); ctx.releaseAfterStep(List.of(e.getValue())); }
        }
        ctx.releaseAfterStep(r.outputs().values());
        ctx.releaseAfterStep(g.stepIntermediates());
        g.disableArrayCache();   // one of many subnet graphs: no idle per-graph array cache
        return r;
    }
}
