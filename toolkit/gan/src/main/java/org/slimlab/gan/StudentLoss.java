package org.slimlab.gan;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.distill.Crd;
import org.slimlab.distill.Dcd;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;
import org.slimlab.nn.Model;
import org.slimlab.nn.Tap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A student generator's objective against the teacher's output {@code T = G_T(x)} (given as the labels, flattened):
 * {@code w_pix |G_S(x) - T|_1 + w_adv (D_T(x, G_S(x)) - 1)^2 + w_feat sum_l ||P_l(G_S) - P_l(T)||^2
 * + w_style sum_l ||Gram(P_l(G_S)) - Gram(P_l(T))||^2} (P = the frozen perceptual CNN's tapped activations),
 * plus {@code w_dcd L_DCD} or {@code w_crd L_CRD}. The teacher side is under stop-gradient; D_T and the perceptual
 * network are in the graph but only the student's (and its connectors') gradients are applied.
 * Graphs are cached per objective instance: keep one per student.
 */
public final class StudentLoss implements Objective {

    /** Loss weights, fixed before any run (see GanReproduction). */
    public record Weights(double pixel, double adversarial, double feature, double style, double dcd, double crd) {
        public static Weights defaults() { return new Weights(10, 1, 1, 10, 1, 1); }
    }

    private final Model discriminator, perceptual;
    private final Dcd dcd;
    private final Crd crd;
    private final Weights w;
    private volatile Map<String, INDArray> extra = Map.of();

    StudentLoss(Model discriminator, Model perceptual, Dcd dcd, Crd crd, Weights w) {
        this.discriminator = discriminator;
        this.perceptual = perceptual;
        this.dcd = dcd;
        this.crd = crd;
        this.w = w;
    }

    /** The per-step inputs beyond x and labels (the teacher's feature maps for DCD). */
    void feedNext(Map<String, INDArray> values) { this.extra = values; }

    @Override
    public Map<String, INDArray> feed(INDArray x, INDArray labels) { return extra; }

    @Override
    public SDVariable loss(Graph g, SDVariable out, SDVariable labels) {
        SameDiff sd = g.sd();
        long[] shape = g.trace().nodes().get(g.trace().nodes().size() - 1).out().shape();
        long c = shape[0], h = shape[1], wd = shape[2];
        SDVariable t = Losses.stopGradient(sd, labels.reshape(-1, c, h, wd));
        SDVariable x = sd.getVariable(org.slimlab.graph.Compiled.INPUT);
        SDVariable loss = sd.math().abs(out.sub(t)).mean().mul(w.pixel());
        loss = loss.add(GanLosses.generatorAdversarial(g, discriminator, x, out).mul(w.adversarial()));
        if (w.feature() != 0 || w.style() != 0) loss = loss.add(perceptualLoss(g, out, t));
        if (dcd != null) loss = loss.add(dcd.loss(g, dcd.teacherInputs(g)).mul(w.dcd()));
        if (crd != null) loss = loss.add(crd.loss(sd, out, t, c, h, wd).mul(w.crd()));
        return loss;
    }

    /** Feature (mean squared) and style (Gram, normalised by C*H*W) losses on the perceptual network's taps. */
    private SDVariable perceptualLoss(Graph g, SDVariable student, SDVariable teacher) {
        List<Tap> taps = perceptual.modules(Tap.class);
        List<SDVariable> fs = tapped(g, taps, student), ft = tapped(g, taps, teacher);
        SDVariable total = null;
        for (int l = 0; l < taps.size(); l++) {
            long[] s = perceptual.trace().node(taps.get(l)).in().shape();
            SDVariable a = fs.get(l), b = Losses.stopGradient(g.sd(), ft.get(l));
            SDVariable d = a.sub(b);
            SDVariable term = d.mul(d).mean().mul(w.feature());
            SDVariable ga = gram(g.sd(), a, s), gb = gram(g.sd(), b, s);
            SDVariable dg = ga.sub(gb);
            term = term.add(dg.mul(dg).mean().mul(w.style()));
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /** The perceptual taps for one image batch (read right after its forward pass: taps keep the latest per graph). */
    private List<SDVariable> tapped(Graph g, List<Tap> taps, SDVariable signed) {
        // run the perceptual network only up to its last tap (the classifier head is not needed)
        SDVariable y = GanLosses.toClassifierInput(signed);
        for (org.slimlab.nn.Module m : perceptual.root().children()) {
            y = m.forward(g, y);
            if (m == taps.get(taps.size() - 1)) break;
        }
        List<SDVariable> v = new ArrayList<>();
        for (Tap t : taps) v.add(t.variable(g));
        return v;
    }

    static SDVariable gram(SameDiff sd, SDVariable f, long[] chw) {
        SDVariable flat = f.reshape(-1, chw[0], chw[1] * chw[2]);
        return sd.mmul(flat, flat, false, true, false).div(chw[0] * chw[1] * chw[2]);
    }

    public Dcd dcd() { return dcd; }

    public Crd crd() { return crd; }

    public Weights weights() { return w; }
}
