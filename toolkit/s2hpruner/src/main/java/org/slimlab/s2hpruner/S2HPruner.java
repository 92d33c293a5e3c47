package org.slimlab.s2hpruner;

import org.slimlab.data.ImageData;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Graphs;
import org.slimlab.nn.Model;
import org.slimlab.prune.PruningPlan;
import org.slimlab.prune.Slicer;
import org.slimlab.train.Evaluation;
import org.slimlab.train.Optimizers;
import org.slimlab.train.Recalibration;
import org.slimlab.train.Run;
import org.slimlab.train.Schedule;
import org.slimlab.train.Trainer;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * S2HPruner: "S2HPruner: Soft-to-Hard Distillation Bridges the Discretization Gap in Pruning" (Lin et al.,
 * NeurIPS 2024, arXiv 2410.07046), differentiable channel pruning where a soft network (channels scaled by learned width
 * probabilities) and the hard network it stands for (the top-n channels, the same weights) teach each other with
 * decoupled gradients: the weights learn from the soft network's CE and from making the hard network match the
 * soft one; the mask logits learn from CE, the MACs budget and from making the soft network match the hard one.
 * Output: the hard network, physically sliced, BN recalibrated, no fine-tuning. {@link #dmp()} gives the DMP
 * baseline (CE + resource loss only; the hard network is extracted at the end). METHODS.md §1 is the spec.
 * <pre>{@code
 * import static org.slimlab.s2hpruner.S2HPruner.*;
 * var r = S2HPruner.on(vgg(16, 16, 0, 32, 32, 0, 64, 64, 0)).targetMacs(0.35).train(fashionMnist(), epochs(30));
 * r.table();   // soft acc, hard acc, gap, MACs ratio (counted on the sliced network)
 * r.model();   // the pruned network
 * }</pre>
 * Immutable builder; {@link #train} copies the model (the input is left as it is).
 */
public final class S2HPruner {

    /** A number of training epochs, for {@code train(data, epochs(30))}. */
    public record Epochs(int count) {
        public Epochs {
            if (count < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + count);
        }
    }

    /** {@code epochs(30)}. */
    public static Epochs epochs(int n) { return new Epochs(n); }

    private final Model model;
    private final double target, alpha, beta, tau, initMass, lr, maskLr;
    private final int chunk, batch, recalImages;
    private final long seed;
    private final S2HStep.Variant variant;
    private final String name;

    private S2HPruner(Model model, double target, double alpha, double beta, double tau, double initMass, double lr,
                      double maskLr, int chunk, int batch, int recalImages, long seed, S2HStep.Variant variant, String name) {
        this.model = model;
        this.target = target;
        this.alpha = alpha;
        this.beta = beta;
        this.tau = tau;
        this.initMass = initMass;
        this.lr = lr;
        this.maskLr = maskLr;
        this.chunk = chunk;
        this.batch = batch;
        this.recalImages = recalImages;
        this.seed = seed;
        this.variant = variant;
        this.name = name;
    }

    /**
     * S2HPruner on {@code model} with the defaults: 35% of the MACs, alpha 1, beta 10, tau 1, chunks of 1
     * channel, 90% initial mass on the full width, weights SGD 0.01 (momentum 0.9, wd 5e-4, cosine), mask
     * logits Adam 0.01 (constant), batch 128, seed 1.
     */
    public static S2HPruner on(Model model) {
        if (model == null) throw new IllegalArgumentException("S2HPruner.on(null): give a model");
        return new S2HPruner(model, 0.35, 1, 10, 1, 0.9, 0.01, 0.01, 1, 128, Recalibration.DEFAULT_IMAGES, 1,
                S2HStep.Variant.S2HPRUNER, null);
    }

    private S2HPruner with(double target, double alpha, double beta, double tau, double initMass, double lr, double maskLr,
                           int chunk, int batch, long seed, S2HStep.Variant variant, String name) {
        return new S2HPruner(model, target, alpha, beta, tau, initMass, lr, maskLr, chunk, batch, recalImages, seed, variant, name);
    }

    /** Keep at most this fraction of the dense MACs (the resource loss's T). */
    public S2HPruner targetMacs(double ratio) {
        if (ratio <= 0 || ratio > 1) throw new IllegalArgumentException("target MACs ratio must be in (0, 1], got " + ratio);
        return with(ratio, alpha, beta, tau, initMass, lr, maskLr, chunk, batch, seed, variant, name);
    }
    /** Weight of both KD terms (G_theta and G_u). */
    public S2HPruner alpha(double a) { return with(target, a, beta, tau, initMass, lr, maskLr, chunk, batch, seed, variant, name); }
    /** Weight of the resource loss R. */
    public S2HPruner beta(double b) { return with(target, alpha, b, tau, initMass, lr, maskLr, chunk, batch, seed, variant, name); }
    /** Softmax temperature of the width distribution. */
    public S2HPruner tau(double t) { return with(target, alpha, beta, t, initMass, lr, maskLr, chunk, batch, seed, variant, name); }
    /** Channels per chunk (d); candidate widths are multiples of it. */
    public S2HPruner chunk(int d) { return with(target, alpha, beta, tau, initMass, lr, maskLr, d, batch, seed, variant, name); }
    /** Initial probability of the full width. */
    public S2HPruner initialFullWidth(double p) { return with(target, alpha, beta, tau, p, lr, maskLr, chunk, batch, seed, variant, name); }
    /** Learning rate of the weights (SGD, momentum 0.9, wd 5e-4, cosine). */
    public S2HPruner lr(double r) { return with(target, alpha, beta, tau, initMass, r, maskLr, chunk, batch, seed, variant, name); }
    /** Learning rate of the mask logits (Adam, constant). */
    public S2HPruner maskLr(double r) { return with(target, alpha, beta, tau, initMass, lr, r, chunk, batch, seed, variant, name); }
    public S2HPruner batch(int size) { return with(target, alpha, beta, tau, initMass, lr, maskLr, chunk, size, seed, variant, name); }
    public S2HPruner seed(long s) { return with(target, alpha, beta, tau, initMass, lr, maskLr, chunk, batch, s, variant, name); }
    /** Name shown in progress and results (default: the arm and target). */
    public S2HPruner name(String n) { return with(target, alpha, beta, tau, initMass, lr, maskLr, chunk, batch, seed, variant, n); }
    /** One of the arms of METHODS.md §1 (S2HPruner, DMP, the two ablations). */
    public S2HPruner variant(S2HStep.Variant v) { return with(target, alpha, beta, tau, initMass, lr, maskLr, chunk, batch, seed, v, name); }
    /** The DMP baseline: CE + resource loss only, hard network extracted at the end. */
    public S2HPruner dmp() { return variant(S2HStep.Variant.DMP); }

    public S2HStep.Variant variant() { return variant; }
    public double target() { return target; }

    /** Trains for {@code epochs.count()} epochs on {@code data}, then extracts and evaluates the hard network. */
    public S2HResult train(ImageData data, Epochs epochs) { return train(data, epochs.count()); }

    /** As {@link #train(ImageData, Epochs)}. */
    public S2HResult train(ImageData data, int epochs) {
        if (data == null) throw new IllegalArgumentException("no data: train(fashionMnist(), epochs(30))");
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        long began = System.nanoTime();
        Model net = model.copy();
        S2HMasks masks = S2HMasks.of(net, chunk, tau, initMass);
        S2HStep step = new S2HStep(masks, variant.terms(alpha, beta), target, Optimizers.adam(maskLr), Schedule.constant());
        String label = name != null ? name : String.format("%s @%.0f%%", variant.label(), 100 * target);
        IntColumn ep = IntColumn.create("epoch");
        DoubleColumn loss = DoubleColumn.create("train_loss"), acc = DoubleColumn.create("soft_train_acc"),
                expected = DoubleColumn.create("expected_macs_ratio"), hardRatio = DoubleColumn.create("hard_macs_ratio");
        Run run = Trainer.of(net).on(data).epochs(epochs).batch(batch).sgd(lr).cosine().seed(seed).name(label)
                .noTestEvaluation()   // the soft and hard networks are evaluated below; the unmasked one means nothing
                .step(step, String.format("%s(alpha=%s, beta=%s, tau=%s, chunk=%d, init=%s, T=%s, masks adam %s)",
                        variant.label(), alpha, beta, tau, chunk, initMass, target, maskLr))
                .onEpoch(e -> {
                    ep.append(e.epoch());
                    loss.append(e.trainLoss());
                    acc.append(e.trainAccuracy());
                    expected.append(masks.expectedMacsRatio());
                    hardRatio.append(masks.hardMacsRatio());
                })
                .fit();
        // the soft network's BN statistics are recalibrated like the hard network's (METHODS.md common protocol)
        Recalibration.bn(net, data.train(), recalImages, masks.soft(), "s2h-soft", r -> true);
        double softAcc = Evaluation.accuracy(Graphs.build(net, Graph.Mode.EVAL, null, masks.soft(), "s2h-soft", r -> true),
                data.test());
        masks.refresh();
        PruningPlan plan = masks.plan();
        Model hard = Slicer.slice(net, plan);
        Recalibration.bn(hard, data.train(), recalImages);
        double hardAcc = Evaluation.accuracy(hard, data.test());
        Table history = Table.create(label + " history", ep, loss, acc, expected, hardRatio);
        // the result keeps copies without compiled graphs: a graph holds its last batch's arrays, and a sweep of arms
        // would otherwise keep every arm's (several hundred MB each at batch 500)
        Model soft = net.copy();
        return new S2HResult(label, target, softAcc, hardAcc, model, soft, hard.copy(), masks.copyTo(soft), plan, run, history,
                (System.nanoTime() - began) / 1e9);
    }

    @Override
    public String toString() {
        return String.format("S2HPruner(%s) on %s to %.0f%% MACs: alpha %s, beta %s, tau %s, chunk %d", variant.label(),
                model.name(), 100 * target, alpha, beta, tau, chunk);
    }
}
