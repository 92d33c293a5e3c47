package org.slimlab.gan;

import org.slimlab.data.FashionMnist;
import org.slimlab.data.ImageData;
import org.slimlab.nn.Conv2d;
import org.slimlab.nn.Flatten;
import org.slimlab.nn.GlobalAvgPool;
import org.slimlab.nn.Init;
import org.slimlab.nn.Linear;
import org.slimlab.nn.Model;
import org.slimlab.nn.Pool2d;
import org.slimlab.nn.ReLU;
import org.slimlab.nn.Sequential;
import org.slimlab.nn.Tap;
import org.slimlab.train.Run;
import org.slimlab.train.Trainer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two frozen Fashion-MNIST classifiers of the GAN reproduction, trained once per JVM and configuration:
 * the PERCEPTUAL network the students' feature/style loss uses (conv 16 - pool - conv 32 - pool - linear, taps after
 * both ReLUs) and a SECOND, separately trained and differently shaped network whose penultimate (global-average
 * pooled, 64-d) features FID is computed on, so students are never optimised against the metric. Neither has BN,
 * so they behave the same inside a training graph and in evaluation.
 */
public final class FeatureNets {

    /** A trained classifier and its test accuracy. */
    public record Trained(Model model, double accuracy) {}

    private static final Map<String, Trained> CACHE = new ConcurrentHashMap<>();

    private FeatureNets() {}

    /** conv3x3(16)-ReLU-tap-pool-conv3x3(32)-ReLU-tap-pool-linear; inputs normalised Fashion-MNIST. */
    public static Model perceptualArchitecture(long seed) {
        Init.seed(seed);
        return new Model("perceptual-cnn", new Sequential(new Conv2d(1, 16, 3, 1, 1, true), new ReLU(), new Tap(), Pool2d.max(2, 2),
                new Conv2d(16, 32, 3, 1, 1, true), new ReLU(), new Tap(), Pool2d.max(2, 2), new Flatten(), new Linear(32 * 7 * 7, 10)), 1, 28, 28);
    }

    /** conv3x3(32)-pool-conv3x3(64)-pool-conv3x3(64)-global average pool (the FID features)-linear. */
    public static Model fidArchitecture(long seed) {
        Init.seed(seed);
        return new Model("fid-cnn", new Sequential(new Conv2d(1, 32, 3, 1, 1, true), new ReLU(), Pool2d.max(2, 2),
                new Conv2d(32, 64, 3, 1, 1, true), new ReLU(), Pool2d.max(2, 2), new Conv2d(64, 64, 3, 1, 1, true), new ReLU(),
                new GlobalAvgPool(), new Linear(64, 10)), 1, 28, 28);
    }

    /** The perceptual network trained on {@code images} Fashion-MNIST training images for {@code epochs} (cached). */
    public static Trained perceptual(int images, int epochs) { return train("perceptual", perceptualArchitecture(101), images, epochs, 11); }

    /** The FID network, trained separately (other architecture, seed and image order; cached). */
    public static Trained fid(int images, int epochs) { return train("fid", fidArchitecture(202), images, epochs, 22); }

    private static Trained train(String kind, Model fresh, int images, int epochs, long seed) {
        return CACHE.computeIfAbsent(kind + "/" + images + "/" + epochs, k -> {
            ImageData data = FashionMnist.load().subset(images, 1000);
            Run run = Trainer.of(fresh).on(data).epochs(epochs).batch(64).adam(1e-3).seed(seed).name(kind + " CNN (frozen)").fit();
            return new Trained(run.model(), run.testAccuracy());
        });
    }
}
