package org.slimlab.stp;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.Batch;
import org.slimlab.distill.StimulativeTraining;
import org.slimlab.distill.SubnetKd;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graphs;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;
import org.slimlab.nn.BatchNorm2d;
import org.slimlab.nn.Model;
import org.slimlab.nn.Param;
import org.slimlab.train.StepContext;
import org.slimlab.train.TrainStep;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * STP's training iteration (arXiv 2403.06417): stimulative training (Ye et al., NeurIPS 2022, arXiv 2210.04153) of
 * the width+depth supernet, {@code CE(f(x), y) + lambda KL(sg[softmax(f(x))] || softmax(f_sub(x)))} for
 * {@code subnets} random subnets of {@link SupernetSpace}, one update of the shared weights; no sparsity penalty.
 * From epoch {@code exploreFrom} on, the subnets are those of the {@link Exploration} (candidates, the committed
 * architecture and mutating-expansion mutants). Subnet passes go through core's
 * {@link StimulativeTraining#distilWithLogits} with one {@link SubnetKd} instance, so both phases share the
 * compiled graphs (one per depth).
 */
final class StpStep implements TrainStep {

    /** Distils one architecture into the shared weights on the current batch; returns its (weighted) KL. */
    @FunctionalInterface
    interface Distiller { double distil(Architecture a); }

    private final SupernetSpace space;
    private final SubnetKd kd;
    private final int subnets, exploreFrom;
    private final Exploration exploration;
    private final Objective ce = Losses.crossEntropy();
    private final Random rng;

    StpStep(SupernetSpace space, double lambda, int subnets, int exploreFrom, Exploration exploration, long seed) {
        if (lambda <= 0) throw new IllegalArgumentException("the KL weight lambda must be > 0, got " + lambda);
        if (subnets < 1) throw new IllegalArgumentException("ST needs >= 1 subnet per step, got " + subnets);
        this.space = space;
        this.kd = SubnetKd.of(lambda);
        this.subnets = subnets;
        this.exploreFrom = exploreFrom;
        this.exploration = exploration;
        this.rng = new Random(seed);
    }

    /** Whether this iteration belongs to the exploration phase. */
    boolean exploring(StepContext ctx) { return exploration != null && ctx.epoch() >= exploreFrom; }

    @Override
    public StepResult step(StepContext ctx, Batch b) {
        Model model = ctx.model();
        Compiled main = Graphs.train(model, ce);
        Compiled.Result r = main.run(b.x(), b.y(), ctx.trainable(), List.of());
        ctx.checkFinite(r.loss());
        main.foldBatchStats(r.outputs(), b.size(), BatchNorm2d.MOMENTUM);
        Map<Param, INDArray> grads = new HashMap<>(r.grads());
        ctx.releaseAfterStep(r.outputs().values());
        ctx.releaseAfterStep(main.stepIntermediates());
        INDArray target = r.logits().dup();
        kd.target(target);
        Distiller pass = a -> StimulativeTraining.distil(ctx, model, space.subnet(a), b, kd, grads);
        double loss = r.loss();
        if (exploring(ctx)) loss += exploration.step(ctx, b, kd, pass);
        else for (int i = 0; i < subnets; i++) loss += pass.distil(space.random(rng));
        ctx.update(grads);
        ctx.releaseAfterStep(grads.values());
        ctx.releaseAfterStep(List.of(target));
        return new StepResult(loss, r.logits());
    }
}
