package org.slimlab.train;

import org.slimlab.data.ImageData;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;
import org.slimlab.nn.Model;
import org.slimlab.nn.Param;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Fluent, immutable training configuration; {@link #fit()} runs it. Seeded (same seed, same numbers on CPU),
 * records its config with a hash, shows progress, checkpoints each epoch and resumes, stops on a NaN loss.
 * <pre>{@code
 * var run = train(net).on(data).epochs(5).sgd(0.1).cosine().seed(1).fit();
 * run.history();   // per-epoch table
 * }</pre>
 * Several parameter groups with their own optimizers: {@code .group("masks", p -> p.kind() == OTHER, adam(1e-3), constant())}.
 */
public final class Trainer {

    Model model;
    ImageData data;
    int epochs = 1, batchSize = 128, evalEvery = 1;
    long seed = 1;
    Optimizer optimizer = Optimizers.sgd(0.1);
    Schedule schedule = Schedule.constant();
    String scheduleName = "constant";
    final List<ParamGroup> groups = new ArrayList<>();
    Objective objective = Losses.crossEntropy();
    String objectiveName = "cross-entropy";
    TrainStep step;
    String stepName = "standard";
    Path checkpoints;
    boolean resume;
    String name;
    final List<Consumer<EpochEnd>> epochHooks = new ArrayList<>();

    /** Called after each epoch with the metrics of that epoch. */
    public record EpochEnd(int epoch, double trainLoss, double trainAccuracy, double testAccuracy, StepContext context) {}

    private Trainer() {}

    private Trainer copy() {
        Trainer t = new Trainer();
        t.model = model; t.data = data; t.epochs = epochs; t.batchSize = batchSize; t.evalEvery = evalEvery; t.seed = seed;
        t.optimizer = optimizer; t.schedule = schedule; t.scheduleName = scheduleName; t.groups.addAll(groups);
        t.objective = objective; t.objectiveName = objectiveName; t.step = step; t.stepName = stepName;
        t.checkpoints = checkpoints; t.resume = resume; t.name = name; t.epochHooks.addAll(epochHooks);
        return t;
    }

    /** Training of {@code model} (trained in place; copy it first to keep the original). */
    public static Trainer of(Model model) {
        Trainer t = new Trainer();
        t.model = model;
        t.name = model.name();
        return t;
    }

    public Trainer on(ImageData d) { Trainer t = copy(); t.data = d; return t; }
    public Trainer epochs(int n) { Trainer t = copy(); t.epochs = n; return t; }
    public Trainer batch(int size) { Trainer t = copy(); t.batchSize = size; return t; }
    public Trainer seed(long s) { Trainer t = copy(); t.seed = s; return t; }
    public Trainer name(String n) { Trainer t = copy(); t.name = n; return t; }
    /** Evaluate on the test set every {@code n} epochs (and always after the last). */
    public Trainer evalEvery(int n) { Trainer t = copy(); t.evalEvery = Math.max(1, n); return t; }
    /**
     * Never evaluate the plain model on the test set ({@link Run#testAccuracy()} is NaN): for methods that train
     * under masks or subnets and evaluate their own network, where the plain model's accuracy would mislead.
     */
    public Trainer noTestEvaluation() { Trainer t = copy(); t.evalEvery = 0; return t; }

    /** SGD, momentum 0.9, weight decay 5e-4 on weights. */
    public Trainer sgd(double lr) { return optimizer(Optimizers.sgd(lr)); }
    public Trainer sgd(double lr, double momentum, boolean nesterov, double weightDecay) {
        return optimizer(Optimizers.sgd(lr, momentum, nesterov, weightDecay));
    }
    public Trainer adam(double lr) { return optimizer(Optimizers.adam(lr)); }
    public Trainer adamw(double lr, double weightDecay) { return optimizer(Optimizers.adamw(lr, weightDecay)); }
    /** The optimizer of every parameter no explicit group claims. */
    public Trainer optimizer(Optimizer o) { Trainer t = copy(); t.optimizer = o; return t; }

    public Trainer cosine() { return schedule(Schedule.cosine(), "cosine"); }
    public Trainer constantLr() { return schedule(Schedule.constant(), "constant"); }
    public Trainer stepLr(double gamma, double... milestones) {
        return schedule(Schedule.step(gamma, milestones), "step(" + gamma + " at " + java.util.Arrays.toString(milestones) + ")");
    }
    /** Linear warm-up over the first {@code fraction} of training before the current schedule. */
    public Trainer warmup(double fraction) { return schedule(schedule.warmup(fraction), scheduleName + "+warmup(" + fraction + ")"); }
    public Trainer schedule(Schedule s, String description) { Trainer t = copy(); t.schedule = s; t.scheduleName = description; return t; }

    /** A parameter group with its own optimizer and schedule (matched before the default group). */
    public Trainer group(String groupName, Predicate<Param> selects, Optimizer o, Schedule s) {
        Trainer t = copy();
        t.groups.add(new ParamGroup(groupName, selects, o, s));
        return t;
    }

    /** The loss minimised by the standard step (default cross-entropy). */
    public Trainer objective(Objective o, String description) { Trainer t = copy(); t.objective = o; t.objectiveName = description; return t; }

    /** A custom iteration (methods with several graphs or losses). */
    public Trainer step(TrainStep s, String description) { Trainer t = copy(); t.step = s; t.stepName = description; return t; }

    /** Checkpoint each epoch into {@code dir}. */
    public Trainer checkpoints(Path dir) { Trainer t = copy(); t.checkpoints = dir; return t; }

    /** Continue from the newest checkpoint in the checkpoint directory, if it was written by the same config. */
    public Trainer resume() { Trainer t = copy(); t.resume = true; return t; }

    /** Runs {@code hook} after every epoch. */
    public Trainer onEpoch(Consumer<EpochEnd> hook) { Trainer t = copy(); t.epochHooks.add(hook); return t; }

    /** Trains; returns the run (model, history, config). */
    public Run fit() {
        if (data == null) throw new IllegalStateException("no data: call .on(data) before .fit()");
        return new Training(this).run();
    }
}
