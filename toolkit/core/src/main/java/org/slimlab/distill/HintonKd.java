package org.slimlab.distill;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slimlab.graph.Graph;
import org.slimlab.graph.Losses;
import org.slimlab.graph.Objective;
import org.slimlab.nn.Model;

import java.util.Map;

/**
 * Vanilla logit distillation (Hinton, Vinyals, Dean 2015, "Distilling the Knowledge in a Neural Network"):
 * {@code alpha T^2 KL(softmax(z_t/T) || softmax(z_s/T)) + (1 - alpha) CE(z_s, y)}. The teacher runs in eval mode
 * on each batch and its logits enter the student's graph as an input (no gradient reaches the teacher).
 * <pre>{@code
 * train(student).on(data).objective(HintonKd.of(teacher, 4, 0.9), "kd").fit();
 * }</pre>
 */
public final class HintonKd implements Objective {

    private final Model teacher;
    private final double temperature, alpha;

    private HintonKd(Model teacher, double temperature, double alpha) {
        this.teacher = teacher;
        this.temperature = temperature;
        this.alpha = alpha;
    }

    public static HintonKd of(Model teacher, double temperature, double alpha) {
        return new HintonKd(teacher, temperature, alpha);
    }

    @Override
    public SDVariable loss(Graph g, SDVariable logits, SDVariable labels) {
        SDVariable t = g.extraInput("teacher_logits", teacher.classes());
        SDVariable kd = Losses.klDivergence(g.sd(), Losses.stopGradient(g.sd(), t), logits, temperature);
        return kd.mul(alpha).add(Losses.crossEntropy(g.sd(), logits, labels).mul(1 - alpha));
    }

    @Override
    public Map<String, INDArray> feed(INDArray x, INDArray labels) {
        return Map.of("teacher_logits", teacher.predict(x));
    }
}
