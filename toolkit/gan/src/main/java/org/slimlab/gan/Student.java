package org.slimlab.gan;

import org.slimlab.nn.Model;
import org.slimlab.nn.Param;
import org.slimlab.train.Optimizer;

import java.util.ArrayList;
import java.util.List;

/**
 * One student generator in the distillation loop: its arm name, model, objective and its own optimizer (over the
 * generator's parameters and, for DCD, its connectors').
 */
public record Student(String arm, Model generator, StudentLoss loss, Optimizer optimizer) {

    /** The parameters this student's optimizer updates. */
    public List<Param> trainable() {
        List<Param> p = new ArrayList<>(generator.trainableParameters());
        if (loss.dcd() != null) p.addAll(loss.dcd().trainableParams());
        return p;
    }
}
