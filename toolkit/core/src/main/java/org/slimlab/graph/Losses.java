package org.slimlab.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * Losses and graph helpers that pass the float64 gradient check. Notably {@code logSoftmax(x, dim)} with an explicit
 * dimension breaks gradient construction in DL4J M2.1, so {@link #logSoftmax} uses the default (last) dimension.
 */
public final class Losses {

    private Losses() {}

    /** Cross-entropy with (soft or hard) one-hot labels, mean over the batch. */
    public static Objective crossEntropy() {
        return (g, logits, labels) -> crossEntropy(g.sd(), logits, labels);
    }

    /** {@code -mean_i sum_c labels_ic log softmax(logits)_ic}. */
    public static SDVariable crossEntropy(SameDiff sd, SDVariable logits, SDVariable labels) {
        return labels.mul(logSoftmax(sd, logits)).sum(1).mean().neg();
    }

    /** Row-wise log-softmax of 2-D logits (last dimension; see class note). */
    public static SDVariable logSoftmax(SameDiff sd, SDVariable logits) {
        return sd.nn().logSoftmax(logits);
    }

    /** {@code KL(softmax(target/T) || softmax(student/T)) * T^2}, mean over the batch (Hinton et al. 2015). */
    public static SDVariable klDivergence(SameDiff sd, SDVariable target, SDVariable student, double temperature) {
        SDVariable lt = logSoftmax(sd, target.div(temperature)), ls = logSoftmax(sd, student.div(temperature));
        SDVariable kl = sd.math().exp(lt).mul(lt.sub(ls)).sum(1).mean();
        return kl.mul(temperature * temperature);
    }

    /** sg[x]: the value of x, treated as a constant by the gradient. */
    public static SDVariable stopGradient(SameDiff sd, SDVariable x) {
        return new StopGradient(sd, x).outputVariable();
    }
}
