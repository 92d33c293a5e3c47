package org.slimlab.prune;

import org.slimlab.data.ImageData;
import org.slimlab.nn.Model;
import org.slimlab.train.Recalibration;
import org.slimlab.train.Run;
import org.slimlab.train.Trainer;
import org.slimlab.ui.Displayable;

/**
 * Fluent structured pruning of a trained model, as a notebook writes it:
 * <pre>{@code
 * var small = prune(run.model()).l1().toMacs(0.35).recalibrate(data).finetune(2);
 * small.model();   // runs once (memoised): the physically sliced, recalibrated, fine-tuned copy
 * }</pre>
 * The input model is never changed. Immutable until {@link #model()} runs it.
 */
public final class Pruning implements Displayable {

    /** Which channels a group keeps. */
    public enum Criterion { L1, RANDOM }

    private final Model source;
    private final Criterion criterion;
    private final double target;
    private final ImageData data;
    private final int finetuneEpochs;
    private final double finetuneLr;
    private final long seed;
    private Model result;
    private Run finetuneRun;

    private Pruning(Model source, Criterion criterion, double target, ImageData data, int finetuneEpochs, double lr, long seed) {
        this.source = source;
        this.criterion = criterion;
        this.target = target;
        this.data = data;
        this.finetuneEpochs = finetuneEpochs;
        this.finetuneLr = lr;
        this.seed = seed;
    }

    /** Pruning of {@code model}: L1 criterion, 50% of the MACs, no recalibration or fine-tuning until asked. */
    public static Pruning of(Model model) { return new Pruning(model, Criterion.L1, 0.5, null, 0, 0.005, 1); }

    public Pruning l1() { return new Pruning(source, Criterion.L1, target, data, finetuneEpochs, finetuneLr, seed); }
    public Pruning random(long s) { return new Pruning(source, Criterion.RANDOM, target, data, finetuneEpochs, finetuneLr, s); }
    /** Keep at most this fraction of the MACs. */
    public Pruning toMacs(double ratio) { return new Pruning(source, criterion, ratio, data, finetuneEpochs, finetuneLr, seed); }
    /** Recalibrate BN on {@code d}'s training images (and fine-tune on {@code d}). */
    public Pruning recalibrate(ImageData d) { return new Pruning(source, criterion, target, d, finetuneEpochs, finetuneLr, seed); }
    /** Fine-tune for {@code epochs} (SGD, cosine from {@code lr}, default 0.005) on the recalibration data. */
    public Pruning finetune(int epochs) { return new Pruning(source, criterion, target, data, epochs, finetuneLr, seed); }
    public Pruning finetune(int epochs, double lr) { return new Pruning(source, criterion, target, data, epochs, lr, seed); }

    /** The pruned (and recalibrated, fine-tuned) model; computed once. */
    public synchronized Model model() {
        if (result != null) return result;
        if (finetuneEpochs > 0 && data == null) throw new IllegalStateException("fine-tuning needs data: call .recalibrate(data) first");
        StructuredPruner.Result r = criterion == Criterion.L1 ? StructuredPruner.l1(source, target)
                : StructuredPruner.random(source, target, seed);
        Model m = r.pruned();
        if (data != null) Recalibration.bn(m, data.train(), Recalibration.DEFAULT_IMAGES);
        if (finetuneEpochs > 0)
            finetuneRun = Trainer.of(m).on(data).epochs(finetuneEpochs).sgd(finetuneLr).cosine().seed(seed)
                    .name(m.name() + " fine-tune").fit();
        return result = m;
    }

    /** The fine-tuning run, or null when there was none. */
    public Run finetuneRun() { model(); return finetuneRun; }

    @Override
    public Object displayValue() { return model().summary(); }

    @Override
    public String toString() {
        return String.format("prune %s %s to %.0f%% MACs%s%s", source.name(), criterion, 100 * target,
                data == null ? "" : ", recalibrated", finetuneEpochs == 0 ? "" : ", fine-tuned " + finetuneEpochs + " epochs");
    }
}
