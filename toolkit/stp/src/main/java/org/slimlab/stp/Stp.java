package org.slimlab.stp;

import org.slimlab.data.ImageData;
import org.slimlab.nn.Model;
import org.slimlab.train.Run;
import org.slimlab.train.Trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * STP, "Structured pruning via stimulative training" / enhanced sparsification (arXiv 2403.06417, ECCV 2024): trains
 * the network as a width+depth supernet with stimulative training (no sparsity penalty: dropped weights keep their
 * magnitude while kept ones grow), then explores architectures guided by KD (shrink one group by a chunk or a stage
 * by a block, commit the candidate with the lowest KL to the full net, repeat until MACs &lt;= target) with subnet
 * mutating expansion, and outputs the pruned subnet, BN recalibrated, with NO fine-tuning.
 * Immutable fluent configuration; {@link #fit()} trains the model in place.
 * <pre>{@code
 * var stp = Stp.of(resnet(3, 8, 16, 32)).on(data).epochs(6).exploreEpochs(2).toMacs(0.5, 0.15).fit();
 * stp.summary();            // target, architecture, MACs, params, accuracy of each pruned network
 * Model small = stp.pruned(0.15);
 * }</pre>
 */
public final class Stp {

    private Model model;
    private ImageData data;
    private int chunks = 4, epochs = 4, exploreEpochs = 1, batch = 64, subnets = 1, candidateSteps = 1, evalEvery = 1;
    private double lr = 0.05, lambda = 1;
    private double[] targets = {0.5};
    private long seed = 1;
    private String name;
    private final List<Consumer<Trainer.EpochEnd>> hooks = new ArrayList<>();

    private Stp() {}

    private Stp copy() {
        Stp s = new Stp();
        s.model = model; s.data = data; s.chunks = chunks; s.epochs = epochs; s.exploreEpochs = exploreEpochs; s.batch = batch;
        s.subnets = subnets; s.candidateSteps = candidateSteps; s.evalEvery = evalEvery; s.lr = lr;
        s.lambda = lambda; s.targets = targets.clone(); s.seed = seed; s.name = name; s.hooks.addAll(hooks);
        return s;
    }

    /** STP on {@code model} (trained in place: copy it first to keep the original). */
    public static Stp of(Model model) {
        Stp s = new Stp();
        s.model = model;
        s.name = model.name() + " STP";
        return s;
    }

    public Stp on(ImageData d) { Stp s = copy(); s.data = d; return s; }
    /** L1-ordered chunks per channel group (width choices C/K, 2C/K, ..., C). Default 4. */
    public Stp chunks(int k) { Stp s = copy(); s.chunks = k; return s; }
    /** Total training epochs (stimulative training, then exploration). */
    public Stp epochs(int n) { Stp s = copy(); s.epochs = n; return s; }
    /** The last {@code n} of the epochs explore (at least 1 when there is a target). */
    public Stp exploreEpochs(int n) { Stp s = copy(); s.exploreEpochs = n; return s; }
    /** Remaining-MACs targets, e.g. {@code toMacs(0.5, 0.15)}: one exploration passes all of them. */
    public Stp toMacs(double... t) { Stp s = copy(); s.targets = t.clone(); return s; }
    /**
     * ST steps each candidate is trained for while its KL is averaged (default 1, the paper's procedure); 0 scores
     * all candidates of a round forward-only on one batch, rounds spread over the exploration epochs (cheap).
     */
    public Stp candidateSteps(int n) { Stp s = copy(); s.candidateSteps = n; return s; }
    /** Weight of each subnet's KL term (default 1). */
    public Stp lambda(double l) { Stp s = copy(); s.lambda = l; return s; }
    /** Random subnets distilled per ST step (default 1). */
    public Stp subnets(int n) { Stp s = copy(); s.subnets = n; return s; }
    /** SGD (momentum 0.9, weight decay 5e-4) with a cosine schedule over all epochs. */
    public Stp sgd(double rate) { Stp s = copy(); s.lr = rate; return s; }
    public Stp batch(int size) { Stp s = copy(); s.batch = size; return s; }
    public Stp seed(long v) { Stp s = copy(); s.seed = v; return s; }
    public Stp name(String n) { Stp s = copy(); s.name = n; return s; }
    public Stp evalEvery(int n) { Stp s = copy(); s.evalEvery = n; return s; }
    /** Runs {@code hook} after every epoch (e.g. to record weight statistics). */
    public Stp onEpoch(Consumer<Trainer.EpochEnd> hook) { Stp s = copy(); s.hooks.add(hook); return s; }

    /** Trains, explores, and returns the handle holding the pruned architectures. */
    public StpResult fit() {
        if (data == null) throw new IllegalStateException("no data: call .on(data) before .fit()");
        if (exploreEpochs < 1 || exploreEpochs > epochs)
            throw new IllegalArgumentException("explore epochs must be in [1, epochs=" + epochs + "], got " + exploreEpochs);
        SupernetSpace space = SupernetSpace.of(model, chunks);
        Exploration exploration = new Exploration(space, targets, candidateSteps, seed * 31 + 7);
        StpStep step = new StpStep(space, lambda, subnets, epochs - exploreEpochs, exploration, seed * 17 + 3);
        Trainer t = Trainer.of(model).on(data).epochs(epochs).batch(batch).sgd(lr).cosine().seed(seed).name(name)
                .evalEvery(evalEvery).step(step, "stp(chunks=" + chunks + ", lambda=" + lambda + ", subnets=" + subnets
                        + ", explore=" + exploreEpochs + ", candidateSteps=" + candidateSteps + ")");
        for (var h : hooks) t = t.onEpoch(h);
        Run run = t.fit();
        // the budget ended before the smallest target was reached: keep exploring at a small constant rate, counted
        int extra = 0;
        while (!exploration.done()) {
            if (++extra > 50) throw new IllegalStateException("STP exploration did not reach " + java.util.Arrays.toString(targets)
                    + " in 50 extra epochs; current " + exploration.current());
            StpStep more = new StpStep(space, lambda, subnets, 0, exploration, seed * 17 + 3 + extra);
            Trainer.of(model).on(data).epochs(1).batch(batch).sgd(lr * 0.1).seed(seed + extra).name(name + " (extra exploration)")
                    .evalEvery(1).step(more, "stp exploration beyond the budget").fit();
        }
        return new StpResult(space, data, run, exploration, epochs + extra);
    }
}
