package org.slimlab.distill;

import org.slimlab.data.Batch;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;
import org.slimlab.nn.BatchNorm2d;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.nn.Residual;
import org.slimlab.train.StepContext;
import org.slimlab.train.TrainStep;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Stochastic depth (Huang et al., "Deep Networks with Stochastic Depth", ECCV 2016, arXiv 1603.09382), a baseline
 * of GKT (arXiv 2308.13772): every iteration each droppable residual block l of L survives with probability
 * {@code p_l = 1 - (l / L)(1 - p_L)} (linear decay from 1 at the input to {@code p_L} at the output), per mini-batch
 * as in the paper; a dropped block passes its input through. At test time every block runs with its residual
 * branch scaled by p_l ({@link #deploy}). Each sampled depth subnet's graph is cached on the model.
 * <pre>{@code
 * var sd = StochasticDepth.on(net).lastSurvival(0.8);
 * var run = train(net).on(data).epochs(3).step(sd, sd.describe()).fit();
 * Model deployed = sd.deploy(run.model());   // branches scaled by p_l, ready to evaluate
 * }</pre>
 */
public final class StochasticDepth implements TrainStep {

    private final DepthSubnets space;
    private final double lastSurvival;
    private final long seed;
    private final Objective ce = Losses.crossEntropy();
    private Random rng;

    private StochasticDepth(DepthSubnets space, double lastSurvival, long seed) {
        if (!(lastSurvival > 0 && lastSurvival <= 1)) throw new IllegalArgumentException("survival probability must be in (0, 1], got " + lastSurvival);
        this.space = space;
        this.lastSurvival = lastSurvival;
        this.seed = seed;
    }

    /** Linear decay to 0.8 at the last block (the paper's rule), over {@code model}'s residual blocks. */
    public static StochasticDepth on(Model model) { return new StochasticDepth(DepthSubnets.of(model), 0.8, 0); }

    /** Survival probability p_L of the last block. */
    public StochasticDepth lastSurvival(double p) { return new StochasticDepth(space, p, seed); }

    /** Seed of the block dropping (independent of the data order). */
    public StochasticDepth seed(long s) { return new StochasticDepth(space, lastSurvival, s); }

    public String describe() { return String.format("stochastic depth (linear, p_L=%.2f)", lastSurvival); }

    /** Survival probability of each droppable block, in forward order (blocks that always run are not listed). */
    public double[] survival() {
        List<Residual> blocks = space.blocks();
        List<Residual> droppable = space.droppable();
        double[] p = new double[droppable.size()];
        for (int i = 0; i < p.length; i++) {
            int l = blocks.indexOf(droppable.get(i)) + 1;
            p[i] = 1 - (l / (double) blocks.size()) * (1 - lastSurvival);
        }
        return p;
    }

    /** The depth subnet of one iteration: each droppable block kept with its survival probability. */
    public Subnet sample(Random r) {
        double[] p = survival();
        List<Residual> droppable = space.droppable();
        Set<Residual> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < p.length; i++) if (r.nextDouble() < p[i]) kept.add(droppable.get(i));
        return Subnet.depth(kept);
    }

    @Override
    public StepResult step(StepContext ctx, Batch b) {
        if (rng == null) rng = new Random(seed);
        Compiled g = sample(rng).trainGraph(ctx.model(), ce);
        StepResult r = ctx.standardStep(g, b);
        g.disableArrayCache();   // up to 2^blocks subnet graphs: no idle per-graph array cache
        return r;
    }

    /**
     * The test-time network: a copy of {@code trained} whose droppable blocks' residual branches are scaled by their
     * survival probability (the scale goes into the branch's closing BatchNorm: gamma and beta times p_l).
     */
    public Model deploy(Model trained) {
        Model copy = trained.copy();
        List<Residual> droppable = DepthSubnets.of(copy).droppable();
        double[] p = survival();
        if (droppable.size() != p.length) throw new IllegalArgumentException(trained.name() + " is not the network this stochastic depth was built for");
        for (int i = 0; i < p.length; i++) {
            List<Module> leaves = droppable.get(i).body().modules().filter(m -> m.children().isEmpty()).toList();
            if (!(leaves.get(leaves.size() - 1) instanceof BatchNorm2d bn))
                throw new IllegalArgumentException(droppable.get(i).path() + ": the residual branch must end in a BatchNorm to be scaled");
            bn.gamma().value().muli(p[i]);
            bn.beta().value().muli(p[i]);
        }
        return copy;
    }
}
