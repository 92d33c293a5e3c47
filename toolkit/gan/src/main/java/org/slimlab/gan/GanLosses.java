package org.slimlab.gan;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.data.FashionMnist;
import org.slimlab.graph.Compiled;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Objective;
import org.slimlab.nn.Model;

/**
 * The GAN objectives of pix2pix with a least-squares GAN (Mao et al. 2017): the conditional discriminator sees
 * {@code concat(x, image)}; the teacher generator minimises {@code (D(x, G(x)) - 1)^2 + 100 |G(x) - y|_1}; the
 * discriminator minimises {@code ((D(x, y) - 1)^2 + D(x, G(x))^2) / 2}, fed real and fake pairs stacked in one batch
 * with per-patch targets 1 and 0.
 */
public final class GanLosses {

    private GanLosses() {}

    /** {@code mean (D(concat(x, image)) - 1)^2}, emitted into the generator's graph (D's parameters shared). */
    public static SDVariable generatorAdversarial(Graph g, Model discriminator, SDVariable x, SDVariable image) {
        SDVariable score = discriminator.root().forward(g, g.sd().concat(1, x, image));
        SDVariable d = score.sub(1.0);
        return d.mul(d).mean();
    }

    /** The teacher generator's objective: labels are the real images, flattened. */
    public static Objective teacher(Model discriminator, double l1Weight) {
        return (g, out, labels) -> {
            long[] s = g.trace().nodes().get(g.trace().nodes().size() - 1).out().shape();
            SDVariable y = labels.reshape(-1, s[0], s[1], s[2]);
            SDVariable x = g.sd().getVariable(Compiled.INPUT);
            return generatorAdversarial(g, discriminator, x, out).add(g.sd().math().abs(out.sub(y)).mean().mul(l1Weight));
        };
    }

    /** The discriminator's objective: labels are the per-patch targets (1 real, 0 fake), flattened. */
    public static Objective discriminator() {
        return (g, scores, labels) -> {
            long n = g.trace().nodes().get(g.trace().nodes().size() - 1).out().numel();
            SDVariable d = scores.reshape(-1, n).sub(labels);
            return d.mul(d).mean();
        };
    }

    /** Pixels in [-1, 1] to the normalised input of the Fashion-MNIST classifiers, in a graph. */
    static SDVariable toClassifierInput(SDVariable signed) {
        return signed.add(1.0).mul(0.5 / FashionMnist.STD).sub(FashionMnist.MEAN / FashionMnist.STD);
    }
}
