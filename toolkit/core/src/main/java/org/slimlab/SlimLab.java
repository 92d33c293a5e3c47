package org.slimlab;

import org.slimlab.data.Augmentation;
import org.slimlab.data.Cifar;
import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import org.slimlab.distill.HintonKd;
import org.slimlab.nn.Model;
import org.slimlab.nn.Models;
import org.slimlab.prune.MagnitudePruner;
import org.slimlab.prune.StructuredPruner;
import org.slimlab.repro.Reproduction;
import org.slimlab.repro.ReproductionResult;
import org.slimlab.repro.Reproductions;
import org.slimlab.repro.Scale;
import org.slimlab.results.ResultRow;
import org.slimlab.results.Results;
import org.slimlab.results.RunInfo;
import org.slimlab.train.Evaluation;
import org.slimlab.train.Recalibration;
import org.slimlab.train.Run;
import org.slimlab.train.Trainer;

import java.nio.file.Path;

/**
 * Everything a notebook needs, from one static import: {@code import static org.slimlab.SlimLab.*;}
 * <pre>{@code
 * var data  = fashionMnist().subset(10_000).augment(flipCrop(2));
 * var net   = resnet20();                                  // renders as its summary table
 * var run   = train(net).on(data).epochs(5).sgd(0.1).cosine().seed(1).fit();
 * var small = pruneL1(run.model(), 0.35);                  // physically sliced, MACs counted on it
 * reproduce("baselines", QUICK);                           // a whole reproduction: table, claims, plot
 * }</pre>
 */
public final class SlimLab {

    public static final Scale SMOKE = Scale.SMOKE, QUICK = Scale.QUICK, FULL = Scale.FULL;

    private SlimLab() {}

    // ---- data ----------------------------------------------------------------------------------------------------
    /** Fashion-MNIST, normalised (Debian's dataset-fashion-mnist or SLIMLAB_FASHION_MNIST). */
    public static ImageData fashionMnist() { return FashionMnist.load(); }
    /** CIFAR-10 from the extracted binary-version folder you provide. */
    public static ImageData cifar10(String dir) { return Cifar.cifar10(Path.of(dir)).normalize(Cifar.MEAN10, Cifar.STD10); }
    /** CIFAR-100 (fine labels) from the extracted binary-version folder you provide. */
    public static ImageData cifar100(String dir) { return Cifar.cifar100(Path.of(dir)).normalize(Cifar.MEAN100, Cifar.STD100); }
    /** Random crop with zero padding {@code pad} and horizontal flip. */
    public static Augmentation flipCrop(int pad) { return Augmentation.flipCrop(pad); }
    /** The scale notebooks run at (SLIMLAB_SCALE, default quick). */
    public static Scale scale() { return Scale.fromEnvironment(); }

    // ---- models (Fashion-MNIST input 1x28x28, 10 classes unless given) --------------------------------------------
    public static Model smallCnn() { return Models.smallCnn(10, 1); }
    /** VGG-style CNN with BN; 0 entries are 2x2 max-pools, e.g. {@code vgg(16, 16, 0, 32, 32, 0, 64, 64, 0)}. */
    public static Model vgg(int... cfg) { return Models.vgg(cfg, 1, 28, 10, 1); }
    public static Model resnet20() { return Models.cifarResnet(20, new int[]{16, 32, 64}, 1, 28, 10, 1); }
    public static Model resnet56() { return Models.cifarResnet(56, new int[]{16, 32, 64}, 1, 28, 10, 1); }
    /** CIFAR-style ResNet with {@code blocks} basic blocks per stage and the given stage widths. */
    public static Model resnet(int blocks, int... widths) {
        int[] b = new int[widths.length];
        java.util.Arrays.fill(b, blocks);
        return Models.resnetStages(b, widths, 1, 28, 10, 1, "resnet-" + blocks + "x" + widths.length);
    }
    public static Model resnet18() { return Models.resnet18(1000, 1); }
    public static Model resnet50() { return Models.resnet50(1000, 1); }
    public static Model vgg16() { return Models.vgg16(1000, 1); }
    /** Any model by the names of {@code slimlab count}. */
    public static Model model(String name) { return Models.byName(name, null, 10); }

    // ---- training, evaluation -------------------------------------------------------------------------------------
    /** A training configuration for {@code model} (trained in place). */
    public static Trainer train(Model model) { return Trainer.of(model); }
    /** Top-1 test accuracy. */
    public static double accuracy(Model model, ImageData data) { return Evaluation.accuracy(model, data.test()); }
    /** Recalibrates BN statistics on 512 training images (after pruning, for subnets). */
    public static Model recalibrate(Model model, ImageData data) { return Recalibration.bn(model, data.train(), Recalibration.DEFAULT_IMAGES); }
    /** Hinton KD objective from a trained teacher. */
    public static HintonKd kd(Model teacher, double temperature, double alpha) { return HintonKd.of(teacher, temperature, alpha); }

    // ---- pruning ----------------------------------------------------------------------------------------------------
    /** Fluent pruning: {@code prune(model).l1().toMacs(0.35).recalibrate(data).finetune(2)}. */
    public static org.slimlab.prune.Pruning prune(Model model) { return org.slimlab.prune.Pruning.of(model); }
    /** L1-norm filter pruning to {@code macsRatio} of the MACs: a new, physically smaller model. */
    public static Model pruneL1(Model model, double macsRatio) { return StructuredPruner.l1(model, macsRatio).pruned(); }
    /** Random channel pruning to {@code macsRatio} of the MACs. */
    public static Model pruneRandom(Model model, double macsRatio, long seed) { return StructuredPruner.random(model, macsRatio, seed).pruned(); }
    /** Global magnitude (unstructured) pruning in place; returns the masks to re-apply while fine-tuning. */
    public static MagnitudePruner.Result pruneMagnitude(Model model, double nonZeroMacsRatio) {
        MagnitudePruner.Result r = MagnitudePruner.toMacs(model, nonZeroMacsRatio);
        r.apply();
        return r;
    }

    // ---- results ------------------------------------------------------------------------------------------------------
    /** A results table with one row per (label, model): accuracy on {@code data}, MACs and params counted on it. */
    public static Results results(ImageData data, Object... labelModelPairs) {
        Results r = Results.create();
        Model ref = null;
        for (int i = 0; i + 1 < labelModelPairs.length; i += 2) {
            String label = (String) labelModelPairs[i];
            Object o = labelModelPairs[i + 1];
            Model m = o instanceof Run run ? run.model() : o instanceof org.slimlab.prune.Pruning p ? p.model() : (Model) o;
            if (ref == null) ref = m;
            r.add(new ResultRow("notebook", label, 0, "-", Evaluation.accuracy(m, data.test()), m.macs(), m.params(),
                    m.macs() / (double) ref.macs(), m.params() / (double) ref.params(), 0, 0, "", RunInfo.now(), ""));
        }
        return r;
    }

    // ---- reproductions --------------------------------------------------------------------------------------------------
    /** Runs a registered reproduction at {@code scale} with one seed. */
    public static ReproductionResult reproduce(String method, Scale scale) { return reproduce(method, scale, 1); }
    public static ReproductionResult reproduce(String method, Scale scale, int seeds) {
        Reproduction r = Reproductions.get(method);
        return r.run(scale, seeds);
    }

    // --- lts ---
    /**
     * A W{bits}A{bits} fake-quantised copy of {@code model} (every conv and linear layer; learnable intervals,
     * straight-through rounding) with its bounds initialised from the first 128 training images of {@code data}.
     */
    public static Model quantize(Model model, int bits, ImageData data) {
        Model q = org.slimlab.quant.Quantization.quantize(model, bits);
        return org.slimlab.quant.Quantization.initBounds(q, data.train().head(Math.min(128, data.train().size())).images());
    }

    // --- smmix ---
    /** A tiny ViT for Fashion-MNIST (patch 4: 7x7 tokens + CLS, MLP ratio 2) with a token head, e.g. {@code vitTiny(32, 2, 2)}. */
    public static Model vitTiny(int dim, int depth, int heads) {
        return org.slimlab.nn.VisionTransformers.tiny(1, 28, 4, dim, depth, heads, 2, 10, 1, true);
    }
    /** DeiT-Tiny at 3x224x224, 1000 classes (~1.26 G MACs with the attention matmuls, 5.7 M params). */
    public static Model deitTiny() { return org.slimlab.nn.VisionTransformers.deitTiny(1000); }
    /** DeiT's mixing recipe: Mixup (alpha 0.8) or CutMix (alpha 1.0) with probability 0.5 each, label smoothing 0.1. */
    public static org.slimlab.mix.Mixing mixupCutmix() {
        return org.slimlab.mix.Mixing.either(0.5, org.slimlab.mix.Mixup.of(0.8), org.slimlab.mix.CutMix.of(1.0));
    }
}
