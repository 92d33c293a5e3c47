package org.slimlab.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.graph.Compiled;
import org.slimlab.nn.Model;
import org.slimlab.nn.Param;

import java.util.List;
import java.util.Map;

/**
 * What a training step sees: the model, where training is, and the optimizers (through {@link #update}).
 */
public final class StepContext {

    private final Model model;
    private final List<ParamGroup> groups;
    private final java.util.Map<Param, ParamGroup> owner;
    long iteration, totalIterations;
    int epoch;
    String lastCheckpoint = "none";
    private final java.util.List<INDArray> pending = new java.util.ArrayList<>();

    StepContext(Model model, List<ParamGroup> groups, Map<Param, ParamGroup> owner) {
        this.model = model;
        this.groups = groups;
        this.owner = owner;
    }

    public Model model() { return model; }

    /** Global iteration index (0-based). */
    public long iteration() { return iteration; }

    public long totalIterations() { return totalIterations; }

    /** Epoch index (0-based). */
    public int epoch() { return epoch; }

    /** Fraction of training done, in [0, 1). */
    public double progress() { return iteration / (double) totalIterations; }

    /** The parameters the optimizers own (trainable parameters of the groups). */
    public List<Param> trainable() { return List.copyOf(owner.keySet()); }

    /** Current learning rate of a group. */
    public double lr(ParamGroup g) { return g.optimizer().baseLr() * g.schedule().factor(iteration, totalIterations); }

    /** Applies each gradient with the optimizer and current learning rate of the parameter's group. */
    public void update(Map<Param, INDArray> grads) {
        for (Map.Entry<Param, INDArray> e : grads.entrySet()) {
            ParamGroup g = owner.get(e.getKey());
            if (g == null) continue;   // a parameter no group trains (frozen)
            g.optimizer().step(e.getKey(), e.getValue(), lr(g));
        }
    }

    /**
     * Frees these arrays' native memory when the current step ends (after the trainer has read the logits).
     * SameDiff allocates fresh arrays every pass and off-heap memory is otherwise only reclaimed by the garbage
     * collector, which lets the process balloon to its cap and slows every step (measured: 7.7 GB RSS and 3-4x
     * slower steps without it).
     */
    public void releaseAfterStep(java.util.Collection<INDArray> arrays) { pending.addAll(arrays); }

    void releasePending() {
        java.util.Set<INDArray> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (INDArray a : pending) if (a != null && seen.add(a) && a.closeable()) a.close();
        pending.clear();
    }

    /** Stops training with a clear error (epoch, iteration, last checkpoint) if {@code loss} is NaN or infinite. */
    public void checkFinite(double loss) { Training.checkFinite(loss, this); }

    /** The default objective step on {@code graph}: forward, backward, update, fold BN statistics. */
    public TrainStep.StepResult standardStep(Compiled graph, org.slimlab.data.Batch b) {
        Compiled.Result r = graph.run(b.x(), b.y(), owner.keySet(), List.of());
        Training.checkFinite(r.loss(), this);
        update(r.grads());
        graph.foldBatchStats(r.outputs(), b.size(), org.slimlab.nn.BatchNorm2d.MOMENTUM);
        releaseAfterStep(r.grads().values());
        releaseAfterStep(r.outputs().values());
        releaseAfterStep(graph.stepIntermediates());   // activations and their gradients (see Compiled)
        return new TrainStep.StepResult(r.loss(), r.logits());
    }

    List<ParamGroup> groups() { return groups; }
}
