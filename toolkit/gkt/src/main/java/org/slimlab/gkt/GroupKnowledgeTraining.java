package org.slimlab.gkt;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.Batch;
import org.slimlab.distill.DepthSubnets;
import org.slimlab.distill.StimulativeTraining;
import org.slimlab.distill.SubnetKd;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;
import org.slimlab.nn.Model;
import org.slimlab.nn.Param;
import org.slimlab.train.StepContext;
import org.slimlab.train.TrainStep;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Group knowledge based training, GKT (Wang et al., "Group Knowledge Based Training of Residual Networks",
 * AAAI 2024, arXiv 2308.13772). Each iteration minimises
 * {@code CE(z_main, y) + sum_g lambda KL(softmax(K_{g-1}) || softmax(z(S_g)))} over {@code subnets} subnet passes
 * drawn by {@link SubnetInSubnetSampler} (S_g nested in S_{g-1}, loops restarting at the main net), with
 * {@link GroupKnowledge} K_g the moving average of the detached level-g logits and K_0 = sg[z_main]; all terms
 * reach the shared weights in one optimizer update. The deliverable is the full network (no architecture change).
 * Equal cost with Stimulative Training means the same number of subnet passes per iteration.
 * <pre>{@code
 * var net = resnet(3, 8, 16, 32);
 * var gkt = GroupKnowledgeTraining.on(net).subnets(2).levels(2).dropProbability(0.2);
 * var run = train(net).on(fashionMnist().subset(2000)).epochs(3).sgd(0.05).cosine().step(gkt, gkt.describe()).fit();
 * }</pre>
 */
public final class GroupKnowledgeTraining implements TrainStep {

    private final SubnetInSubnetSampler sampler;
    private final int subnets;
    private final double lambda, momentum;
    private final long seed;
    private final Objective ce = Losses.crossEntropy();
    private final SubnetKd kd;
    private final GroupKnowledge knowledge;
    private Random rng;
    private long sampledDepth, sampledCount;

    private GroupKnowledgeTraining(SubnetInSubnetSampler sampler, int subnets, double lambda, double momentum, long seed) {
        if (subnets < 1) throw new IllegalArgumentException("subnets per iteration must be >= 1, got " + subnets);
        this.sampler = sampler;
        this.subnets = subnets;
        this.lambda = lambda;
        this.momentum = momentum;
        this.seed = seed;
        this.kd = SubnetKd.of(lambda);
        this.knowledge = new GroupKnowledge(momentum);
    }

    /** GKT on {@code model}'s depth space: 2 subnet passes per iteration in loops of 2 levels, q 0.2, lambda 1, mu 0.9. */
    public static GroupKnowledgeTraining on(Model model) {
        return new GroupKnowledgeTraining(SubnetInSubnetSampler.of(model), 2, 1, 0.9, 0);
    }

    /** Subnet passes per iteration (the cost knob shared with Stimulative Training). */
    public GroupKnowledgeTraining subnets(int n) { return new GroupKnowledgeTraining(sampler, n, lambda, momentum, seed); }

    /** Levels G of a sampling loop. */
    public GroupKnowledgeTraining levels(int g) { return new GroupKnowledgeTraining(sampler.levels(g), subnets, lambda, momentum, seed); }

    /** Probability q that a child drops each block its parent kept. */
    public GroupKnowledgeTraining dropProbability(double q) {
        return new GroupKnowledgeTraining(sampler.dropProbability(q), subnets, lambda, momentum, seed);
    }

    /** Weight of each KL term. */
    public GroupKnowledgeTraining lambda(double l) { return new GroupKnowledgeTraining(sampler, subnets, l, momentum, seed); }

    /** Momentum mu of the group knowledge's moving average. */
    public GroupKnowledgeTraining momentum(double mu) { return new GroupKnowledgeTraining(sampler, subnets, lambda, mu, seed); }

    /** Seed of the subnet sampling (independent of the data order). */
    public GroupKnowledgeTraining seed(long s) { return new GroupKnowledgeTraining(sampler, subnets, lambda, momentum, s); }

    /** Mean number of residual blocks in the subnets sampled so far. */
    public double meanSampledDepth() { return sampledCount == 0 ? Double.NaN : sampledDepth / (double) sampledCount; }

    /** What the trainer records as the step's name (its settings). */
    public String describe() {
        return String.format("gkt(subnets=%d, levels=%d, q=%.2f, lambda=%.2f, mu=%.2f)", subnets, sampler.levels(), sampler.dropProbability(), lambda, momentum);
    }

    @Override
    public StepResult step(StepContext ctx, Batch b) {
        if (rng == null) rng = new Random(seed);
        Model model = ctx.model();
        DepthSubnets space = sampler.space();
        Map<Param, INDArray> grads = new HashMap<>();
        Compiled.Result r = StimulativeTraining.mainPass(ctx, b, ce, grads);
        double loss = r.loss();
        knowledge.start(r.logits());
        sampler.restart();   // knowledge is per batch, so each iteration's first loop starts at the main net
        for (int i = 0; i < subnets; i++) {
            SubnetInSubnetSampler.Draw d = sampler.next(rng);
            Compiled.Result sub = StimulativeTraining.distilWithLogits(ctx, model, d.subnet(), b, kd.target(knowledge.level(d.level() - 1)), grads);
            loss += sub.loss();
            knowledge.add(d.level(), sub.logits());
            sampledDepth += space.depth(d.subnet());
            sampledCount++;
        }
        ctx.update(grads);
        ctx.releaseAfterStep(grads.values());
        return new StepResult(loss, r.logits());
    }
}
