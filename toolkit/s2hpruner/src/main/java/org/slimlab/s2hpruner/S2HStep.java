package org.slimlab.s2hpruner;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.data.Batch;
import org.slimlab.distill.SubnetKd;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.BatchNorm2d;
import org.slimlab.nn.Model;
import org.slimlab.nn.Param;
import org.slimlab.train.Optimizer;
import org.slimlab.train.Schedule;
import org.slimlab.train.StepContext;
import org.slimlab.train.TrainStep;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One S2HPruner iteration ("S2HPruner: Soft-to-Hard Distillation Bridges the Discretization Gap in Pruning" (Lin et al., NeurIPS 2024, arXiv 2410.07046), METHODS.md §1 steps 5-8), with the gradient routing of the
 * "decoupled bidirectional KD":
 * <ol>
 *   <li>soft pass (soft masks): {@code ce CE(s, y) + beta R}; gradients to the weights theta and the mask logits u;</li>
 *   <li>hard pass (0/1 masks of the top-n channels, same weights): {@code G_theta = alpha KL(sg[softmax(s)] ||
 *       softmax(h))}; the hard graph does not contain u, so G_theta reaches theta only;</li>
 *   <li>soft pass again: {@code G_u = alpha KL(softmax(s) || sg[softmax(h)])}; only u's gradients are taken
 *       (theta gets nothing from the hard-to-soft direction) unless {@link Terms#guToTheta} (the coupled ablation).</li>
 * </ol>
 * theta is updated by the trainer's optimizer (its parameter groups), u by this step's own optimizer and
 * schedule. The channel order (L1) and hard widths are refreshed from the current state before the passes.
 * BN running statistics are folded from the first soft pass (they serve the soft network's evaluation; the hard
 * network is recalibrated when it is extracted).
 * <pre>{@code
 * var masks = S2HMasks.of(net, 1, 1.0, 0.9);
 * var step = new S2HStep(masks, S2HStep.Variant.S2HPRUNER.terms(1, 10), 0.35, Optimizers.adam(0.05), Schedule.constant());
 * train(net).on(data).epochs(5).sgd(0.01).cosine().step(step, "s2hpruner").fit();
 * Slicer.slice(net, masks.plan());   // the hard network
 * }</pre>
 */
public final class S2HStep implements TrainStep {

    /**
     * Which terms are on: {@code ce} and {@code beta} weight CE and R in the soft pass, {@code alphaTheta} weights
     * G_theta (0 = no hard pass), {@code alphaU} weights G_u (0 = no third pass), {@code guToTheta} lets G_u's
     * gradient reach the weights through the soft net (ablation: no stop-gradient on that path).
     */
    public record Terms(double ce, double beta, double alphaTheta, double alphaU, boolean guToTheta) {}

    /** The arms of METHODS.md §1. */
    public enum Variant {
        /** (a) DMP baseline: CE + R only, the hard net extracted at the end. */
        DMP("dmp"),
        /** (b) S2HPruner: decoupled bidirectional KD. */
        S2HPRUNER("s2hpruner"),
        /** (c) ablation: the hard-to-soft KD also trains the weights through the soft net. */
        COUPLED_KD("ablation-coupled-kd"),
        /** (d) ablation: no G_u (the mask logits learn only from CE and R). */
        NO_GU("ablation-no-gu");

        private final String label;

        Variant(String label) { this.label = label; }

        public String label() { return label; }

        /** The terms of this arm at KD weight {@code alpha} and resource weight {@code beta}. */
        public Terms terms(double alpha, double beta) {
            return switch (this) {
                case DMP -> new Terms(1, beta, 0, 0, false);
                case S2HPRUNER -> new Terms(1, beta, alpha, alpha, false);
                case COUPLED_KD -> new Terms(1, beta, alpha, alpha, true);
                case NO_GU -> new Terms(1, beta, alpha, 0, false);
            };
        }
    }

    private final S2HMasks masks;
    private final Terms terms;
    private final Optimizer maskOptimizer;
    private final Schedule maskSchedule;
    private final SoftObjective softObjective;
    private final SubnetKd toHard;
    private final HardToSoftKd toSoft;
    private final String tag;

    /**
     * A step on {@code masks}' model at MACs target {@code target}; the mask logits are updated by
     * {@code maskOptimizer} at {@code maskSchedule}.
     */
    public S2HStep(S2HMasks masks, Terms terms, double target, Optimizer maskOptimizer, Schedule maskSchedule) {
        this.masks = masks;
        this.terms = terms;
        this.maskOptimizer = maskOptimizer;
        this.maskSchedule = maskSchedule;
        this.softObjective = new SoftObjective(masks, terms.ce(), terms.beta(), target);
        this.toHard = SubnetKd.of(terms.alphaTheta());
        this.toSoft = new HardToSoftKd(terms.alphaU());
        this.tag = "s2h@" + System.identityHashCode(this);
    }

    public S2HMasks masks() { return masks; }

    public Terms terms() { return terms; }

    /** The soft network's training graph (CE + beta R). */
    public Compiled softGraph(Model model) {
        return Graphs.build(model, Graph.Mode.TRAIN, softObjective, masks.soft(), tag + "/soft", r -> true);
    }

    /** The hard network's training graph (G_theta). */
    public Compiled hardGraph(Model model) {
        return Graphs.build(model, Graph.Mode.TRAIN, toHard, masks.hard(), tag + "/hard", r -> true);
    }

    /** The soft network's graph for G_u. */
    public Compiled hardToSoftGraph(Model model) {
        return Graphs.build(model, Graph.Mode.TRAIN, toSoft, masks.soft(), tag + "/gu", r -> true);
    }

    @Override
    public StepResult step(StepContext ctx, Batch b) {
        Model model = ctx.model();
        masks.refresh();
        List<Param> theta = ctx.trainable(), u = masks.logits();
        Map<Param, INDArray> gTheta = new IdentityHashMap<>(), gU = new IdentityHashMap<>();
        // 1. soft pass: CE + beta R -> theta, u
        Compiled soft = softGraph(model);
        INDArray softLogits;
        double loss;
        boolean softHasLoss = terms.ce() != 0 || terms.beta() != 0;
        if (softHasLoss) {
            List<Param> wrt = new ArrayList<>(terms.ce() != 0 ? theta : List.of());
            wrt.addAll(u);
            Compiled.Result r = soft.run(b.x(), b.y(), wrt, List.of());
            ctx.checkFinite(r.loss());
            soft.foldBatchStats(r.outputs(), b.size(), BatchNorm2d.MOMENTUM);
            split(r.grads(), u, gTheta, gU, true, ctx);
            softLogits = r.logits();
            loss = r.loss();
            ctx.releaseAfterStep(r.outputs().values());
        } else {   // only KD terms (tests of the routing): the soft logits without a loss
            List<String> names = new ArrayList<>(soft.batchStatOutputs());
            names.add(Compiled.LOGITS);
            Map<String, INDArray> out = soft.outputs(b.x(), b.y(), names.toArray(String[]::new));
            soft.foldBatchStats(out, b.size(), BatchNorm2d.MOMENTUM);
            softLogits = out.get(Compiled.LOGITS);
            loss = 0;
            ctx.releaseAfterStep(out.values());
        }
        ctx.releaseAfterStep(soft.stepIntermediates());
        INDArray s = softLogits.dup();
        ctx.releaseAfterStep(List.of(s));
        // 2. hard pass: G_theta = alpha KL(sg[softmax(s)] || softmax(h)) -> theta only (u is not in this graph)
        INDArray h = null;
        if (terms.alphaTheta() != 0 || terms.alphaU() != 0) {
            Compiled hard = hardGraph(model);
            toHard.target(s);
            if (terms.alphaTheta() != 0) {
                Compiled.Result r = hard.run(b.x(), b.y(), theta, List.of());
                ctx.checkFinite(r.loss());
                split(r.grads(), u, gTheta, gU, true, ctx);
                loss += r.loss();
                h = r.logits().dup();
                ctx.releaseAfterStep(r.outputs().values());
            } else {
                Map<String, INDArray> out = hard.outputs(b.x(), b.y(), Compiled.LOGITS);
                h = out.get(Compiled.LOGITS).dup();
                ctx.releaseAfterStep(out.values());
            }
            ctx.releaseAfterStep(List.of(h));
            ctx.releaseAfterStep(hard.stepIntermediates());
        }
        // 3. soft pass: G_u = alpha KL(softmax(s) || sg[softmax(h)]) -> u only (theta too in the coupled ablation)
        if (terms.alphaU() != 0) {
            Compiled gu = hardToSoftGraph(model);
            toSoft.target(h);
            List<Param> wrt = new ArrayList<>(u);
            if (terms.guToTheta()) wrt.addAll(theta);
            Compiled.Result r = gu.run(b.x(), b.y(), wrt, List.of());
            ctx.checkFinite(r.loss());
            split(r.grads(), u, gTheta, gU, terms.guToTheta(), ctx);
            loss += r.loss();
            ctx.releaseAfterStep(r.outputs().values());
            ctx.releaseAfterStep(gu.stepIntermediates());
        }
        ctx.update(gTheta);
        double lr = maskOptimizer.baseLr() * maskSchedule.factor(ctx.iteration(), ctx.totalIterations());
        for (Map.Entry<Param, INDArray> e : gU.entrySet()) maskOptimizer.step(e.getKey(), e.getValue(), lr);
        ctx.releaseAfterStep(gTheta.values());
        ctx.releaseAfterStep(gU.values());
        return new StepResult(loss, softLogits);
    }

    /** Adds a pass's gradients into the theta and u sums; theta's only when {@code toTheta}. */
    private static void split(Map<Param, INDArray> grads, List<Param> u, Map<Param, INDArray> gTheta,
                              Map<Param, INDArray> gU, boolean toTheta, StepContext ctx) {
        for (Map.Entry<Param, INDArray> e : grads.entrySet()) {
            boolean isU = u.contains(e.getKey());
            if (!isU && !toTheta) { ctx.releaseAfterStep(List.of(e.getValue())); continue; }
            Map<Param, INDArray> into = isU ? gU : gTheta;
            INDArray prev = into.get(e.getKey());
            if (prev == null) into.put(e.getKey(), e.getValue());
            else { prev.addi(e.getValue()); ctx.releaseAfterStep(List.of(e.getValue())); }
        }
    }
}
