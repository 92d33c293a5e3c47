package org.slimlab.distill;

import org.nd4j.autodiff.samediff.SDVariable;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Losses;
import org.slimlab.nn.BatchNorm2d;
import org.slimlab.nn.Conv2d;
import org.slimlab.nn.Init;
import org.slimlab.nn.Model;
import org.slimlab.nn.Module;
import org.slimlab.nn.Param;
import org.slimlab.nn.ReLU;
import org.slimlab.nn.Sequential;
import org.slimlab.nn.Tap;
import org.slimlab.nn.Upsample2d;

import java.util.ArrayList;
import java.util.List;

/**
 * DCD, discriminator-cooperated distillation ("Discriminator-Cooperated Feature Map Distillation for GAN
 * Compression", arXiv 2212.14169). Tapped generator feature maps ({@link Tap}s, same count in teacher and student)
 * go through connectors (1x1 conv -> BN -> ReLU down to the discriminator's input channels, then nearest
 * upsampling to its input size) into the teacher discriminator up to its penultimate activation phi_D (the input
 * of the last child of D's root {@link Sequential}):
 * {@code L_DCD = sum_l mean | phi_D(C_T(F_T^l)) - phi_D(C_S(F_S^l)) |}.
 * The teacher's connectors are random and FROZEN (never handed to an optimizer, and the teacher side is under
 * stop-gradient); the student's connectors are trained with the student ({@link #trainableParams()}). The gradient
 * reaches the student through D, but D is not updated by this loss: callers apply gradients to the student's
 * parameters only.
 * <pre>{@code
 * Dcd dcd = Dcd.of(discriminator, teacherG, studentG, 7);
 * SDVariable l = dcd.loss(g, teacherFeatures);     // inside the student's training graph (an Objective)
 * }</pre>
 */
public final class Dcd {

    private final Model discriminator;
    private final List<Module> phi;
    private final List<Tap> studentTaps;
    private final List<Model> teacherConnectors = new ArrayList<>(), studentConnectors = new ArrayList<>();
    private final List<long[]> teacherShapes = new ArrayList<>();

    private Dcd(Model discriminator, Model teacher, Model student, long seed) {
        if (!(discriminator.root() instanceof Sequential s) || s.children().size() < 2)
            throw new IllegalArgumentException("DCD needs a discriminator whose root is a Sequential (its last child gives the scores)");
        this.discriminator = discriminator;
        this.phi = s.children().subList(0, s.children().size() - 1);
        List<Tap> tt = teacher.modules(Tap.class);
        this.studentTaps = student.modules(Tap.class);
        if (tt.isEmpty() || tt.size() != studentTaps.size())
            throw new IllegalArgumentException("teacher and student need the same number of Taps (>0): " + tt.size() + " vs " + studentTaps.size());
        long[] dIn = discriminator.inputShape();
        Init.seed(seed);
        for (int l = 0; l < tt.size(); l++) {
            long[] ft = teacher.trace().node(tt.get(l)).in().shape(), fs = student.trace().node(studentTaps.get(l)).in().shape();
            teacherShapes.add(ft);
            teacherConnectors.add(like(connector("dcd_teacher" + l, ft, dIn), discriminator));
            studentConnectors.add(like(connector("dcd_student" + l, fs, dIn), discriminator));
        }
    }

    /** DCD between {@code teacher} and {@code student} generators through {@code discriminator}; connectors seeded. */
    public static Dcd of(Model discriminator, Model teacher, Model student, long seed) {
        return new Dcd(discriminator, teacher, student, seed);
    }

    /** A connector for a feature map {@code [C, h, w]}: 1x1 conv to D's input channels, BN, ReLU, upsampling to D's size. */
    static Model connector(String name, long[] feature, long[] dIn) {
        if (dIn[1] % feature[1] != 0 || dIn[2] % feature[2] != 0 || dIn[1] / feature[1] != dIn[2] / feature[2])
            throw new IllegalArgumentException("feature map " + java.util.Arrays.toString(feature) + " does not upsample to D's input "
                    + java.util.Arrays.toString(dIn) + " by an integer factor");
        int c = (int) dIn[0];
        Module body = new Sequential(new Conv2d((int) feature[0], c, 1, 1, 0, false), new BatchNorm2d(c), new ReLU(),
                new Upsample2d((int) (dIn[1] / feature[1])));
        return new Model(name, new Sequential(List.of(body), List.of(name)), feature);
    }

    private static Model like(Model m, Model reference) {
        return reference.dtype() == m.dtype() ? m : m.cast(reference.dtype());
    }

    /** phi_D: D's penultimate activation for an input of D (the input of D's last layer). */
    public SDVariable features(Graph g, SDVariable dInput) {
        SDVariable y = dInput;
        for (Module m : phi) y = m.forward(g, y);
        return y;
    }

    /**
     * The loss inside a graph that contains the student's forward pass (its taps), with the teacher's feature maps
     * given as inputs {@code [B, C_T^l, h, w]} (e.g. placeholders from {@link #teacherInputs(Graph)}).
     */
    public SDVariable loss(Graph g, List<SDVariable> teacherFeatures) {
        if (teacherFeatures.size() != studentTaps.size())
            throw new IllegalArgumentException("need " + studentTaps.size() + " teacher feature maps, got " + teacherFeatures.size());
        SDVariable total = null;
        for (int l = 0; l < studentTaps.size(); l++) {
            SDVariable t = Losses.stopGradient(g.sd(), features(g, teacherConnectors.get(l).root().forward(g, teacherFeatures.get(l))));
            SDVariable s = features(g, studentConnectors.get(l).root().forward(g, studentTaps.get(l).variable(g)));
            SDVariable term = g.sd().math().abs(s.sub(t)).mean();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /** Placeholders {@code dcd_teacher_feature<l>} for the teacher's feature maps (fed each step). */
    public List<SDVariable> teacherInputs(Graph g) {
        List<SDVariable> v = new ArrayList<>();
        for (int l = 0; l < teacherShapes.size(); l++) v.add(g.extraInput(teacherInput(l), teacherShapes.get(l)));
        return v;
    }

    /** Name of the placeholder of the teacher's l-th feature map. */
    public static String teacherInput(int l) { return "dcd_teacher_feature" + l; }

    /** The student's connectors' parameters: train them with the student. */
    public List<Param> trainableParams() {
        return studentConnectors.stream().flatMap(m -> m.trainableParameters().stream()).toList();
    }

    /** The teacher's random connectors (frozen). */
    public List<Model> teacherConnectors() { return List.copyOf(teacherConnectors); }

    public List<Model> studentConnectors() { return List.copyOf(studentConnectors); }

    public Model discriminator() { return discriminator; }

    /** Number of tapped feature maps. */
    public int layers() { return studentTaps.size(); }

    @Override
    public String toString() { return "DCD(" + layers() + " feature maps through " + discriminator.name() + " up to its penultimate activation)"; }
}
